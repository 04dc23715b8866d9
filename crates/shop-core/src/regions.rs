//! The 省/市/区 tree an address must come from, and the lookups both sides
//! run on it.
//!
//! The tree is `data/regions.json`, generated from `@vant/area-data` by
//! `scripts/regions.mjs` (never typed by hand): the 31 mainland provincial
//! divisions the shop delivers to, with their cities and districts and the
//! 6-digit codes. The order API embeds it (feature `regions-data`, which only
//! the API enables); the storefront fetches it as a hashed file when the
//! address form opens, so it never weighs on the first load.

use serde::Deserialize;

/// Every province, city and district the shop delivers to. Deserialised from
/// the compact `[[code, name, [[code, name, [[code, name], …]], …]], …]`.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct RegionTree {
    pub provinces: Vec<Province>,
}

#[derive(Debug, Deserialize)]
pub struct Province {
    pub code: u32,
    pub name: String,
    pub cities: Vec<City>,
}

#[derive(Debug, Deserialize)]
pub struct City {
    pub code: u32,
    pub name: String,
    pub districts: Vec<District>,
}

#[derive(Debug, Deserialize)]
pub struct District {
    pub code: u32,
    pub name: String,
}

/// A district with the city and province it lies in.
#[derive(Clone, Copy, Debug)]
pub struct Place<'t> {
    pub province: &'t Province,
    pub city: &'t City,
    pub district: &'t District,
}

/// Why names do not make one district: the first level that failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mismatch {
    Province,
    City,
    District,
}

/// Couriers charge extra for these (新疆, 西藏); most agricultural shops add a
/// surcharge there rather than refusing (shared/domain-notes.md, "Shipping").
pub const REMOTE_PROVINCE_CODES: [u32; 2] = [540000, 650000];

/// The province a district code lies in (its first two digits, then zeros).
pub fn province_code_of(code: u32) -> u32 {
    code / 10_000 * 10_000
}

/// Something with a name that shoppers also write short (甘肃 for 甘肃省).
pub trait Named {
    fn name(&self) -> &str;
}

impl Named for Province {
    fn name(&self) -> &str {
        &self.name
    }
}
impl Named for City {
    fn name(&self) -> &str {
        &self.name
    }
}
impl Named for District {
    fn name(&self) -> &str {
        &self.name
    }
}

/// The one entry called `name`, by its full name or else by its short form
/// when only one entry has that short form.
pub fn find<'t, T: Named>(entries: &'t [T], name: &str) -> Option<&'t T> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if let Some(exact) = entries.iter().find(|e| e.name() == name) {
        return Some(exact);
    }
    let mut short = entries.iter().filter(|e| short_name(e.name()) == name);
    short.next().filter(|_| short.next().is_none())
}

impl RegionTree {
    /// The tree the order API checks addresses against, parsed once.
    #[cfg(any(test, feature = "regions-data"))]
    pub fn mainland() -> &'static RegionTree {
        static TREE: std::sync::OnceLock<RegionTree> = std::sync::OnceLock::new();
        TREE.get_or_init(|| {
            serde_json::from_str(include_str!("../data/regions.json")).expect("data/regions.json is generated valid")
        })
    }

    pub fn province(&self, name: &str) -> Option<&Province> {
        find(&self.provinces, name)
    }

    /// The district these three names make, or the first level that does not
    /// fit (`甘肃省/白银市/景泰县` resolves, `甘肃省/白银市/西青区` fails at the
    /// district). Short forms resolve too (甘肃/白银/景泰).
    pub fn resolve(&self, province: &str, city: &str, district: &str) -> Result<Place<'_>, Mismatch> {
        let (province, city) = self.resolve_city(province, city)?;
        let district = find(&city.districts, district).ok_or(Mismatch::District)?;
        Ok(Place { province, city, district })
    }

    /// The city these two names make, for a district missing from the data.
    pub fn resolve_city(&self, province: &str, city: &str) -> Result<(&Province, &City), Mismatch> {
        let province = self.province(province).ok_or(Mismatch::Province)?;
        let city = find(&province.cities, city).ok_or(Mismatch::City)?;
        Ok((province, city))
    }

    pub fn by_code(&self, code: u32) -> Option<Place<'_>> {
        self.places().find(|place| place.district.code == code)
    }

    /// Every district with its city and province, in code order.
    pub fn places(&self) -> impl Iterator<Item = Place<'_>> {
        self.provinces.iter().flat_map(|province| {
            province
                .cities
                .iter()
                .flat_map(move |city| city.districts.iter().map(move |district| Place { province, city, district }))
        })
    }

    /// Districts whose full place name holds every word of `query` (景泰 finds
    /// 甘肃省 白银市 景泰县; `白银 景泰` too), at most `limit` of them.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Place<'_>> {
        let words: Vec<&str> = query.split_whitespace().collect();
        if words.is_empty() {
            return Vec::new();
        }
        self.places()
            .filter(|place| {
                let names = [&place.province.name, &place.city.name, &place.district.name];
                words.iter().all(|word| names.iter().any(|name| name.contains(word)))
            })
            .take(limit)
            .collect()
    }
}

/// Ethnic groups that appear in the names of autonomous regions,
/// prefectures and counties (广西壮族自治区, 临夏回族自治州), longest first
/// where one ends another, for [`short_name`].
const ETHNIC_GROUPS: [&str; 55] = [
    "柯尔克孜",
    "乌孜别克",
    "维吾尔",
    "哈萨克",
    "鄂温克",
    "鄂伦春",
    "达斡尔",
    "塔吉克",
    "俄罗斯",
    "塔塔尔",
    "蒙古",
    "布依",
    "朝鲜",
    "土家",
    "哈尼",
    "傈僳",
    "高山",
    "拉祜",
    "东乡",
    "纳西",
    "景颇",
    "仫佬",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "德昂",
    "保安",
    "裕固",
    "独龙",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
    "回",
    "藏",
    "苗",
    "彝",
    "壮",
    "满",
    "侗",
    "瑶",
    "白",
    "傣",
    "黎",
    "佤",
    "畲",
    "水",
    "土",
    "羌",
    "怒",
    "京",
];

/// What a place name ends with that shoppers leave out, longest first.
const SUFFIXES: [&str; 15] = [
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "新区",
    "特区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
];

/// The name as shoppers write it short: 甘肃省 → 甘肃, 临夏回族自治州 → 临夏,
/// 新疆维吾尔自治区 → 新疆, 景泰县 → 景泰. Never shorter than two characters
/// (城区 stays 城区, 内蒙古 stays 内蒙古).
pub fn short_name(name: &str) -> &str {
    let long_enough = |rest: &str| rest.chars().count() >= 2;
    let Some((suffix, mut short)) = SUFFIXES.iter().find_map(|suffix| Some((*suffix, name.strip_suffix(suffix)?)))
    else {
        return name;
    };
    if !long_enough(short) {
        return name;
    }
    if suffix.starts_with("自治") {
        // 黔东南苗族侗族 → 黔东南: peel the groups off the end, one at a time.
        while let Some(rest) = strip_ethnic_group(short).filter(|rest| long_enough(rest)) {
            short = rest;
        }
    }
    short
}

fn strip_ethnic_group(name: &str) -> Option<&str> {
    ETHNIC_GROUPS.iter().find_map(|group| {
        let with_zu = name.strip_suffix('族').and_then(|rest| rest.strip_suffix(group));
        // A bare group only when it is long enough not to be a word (伊犁哈萨克).
        with_zu.or_else(|| name.strip_suffix(group).filter(|_| group.chars().count() >= 2))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> &'static RegionTree {
        RegionTree::mainland()
    }

    #[test]
    fn holds_the_31_mainland_provinces_and_every_city_has_districts() {
        let t = tree();
        assert_eq!(t.provinces.len(), 31);
        assert!(t.province("香港特别行政区").is_none() && t.province("台湾省").is_none());
        assert!(t.provinces.iter().all(|p| !p.cities.is_empty() && p.cities.iter().all(|c| !c.districts.is_empty())));
        // 嘉峪关 and 东莞 have no counties; the data's third level lets their shoppers finish the cascade.
        assert!(t.resolve("甘肃省", "嘉峪关市", "雄关区").is_ok());
        assert!(t.resolve("广东省", "东莞市", "南城街道").is_ok());
    }

    #[test]
    fn resolves_full_and_short_names_and_says_which_level_does_not_fit() {
        let t = tree();
        let place = t.resolve("甘肃省", "白银市", "景泰县").unwrap();
        assert_eq!(place.district.code, 620423);
        assert_eq!(t.resolve("甘肃", "白银", "景泰").unwrap().district.code, 620423);
        assert_eq!(t.resolve("天津市", "天津市", "西青区").unwrap().district.code, 120111);
        assert_eq!(t.resolve("甘肃省", "天水市", "麦积区").unwrap().district.code, 620503);
        assert_eq!(t.resolve("甘肃省", "白银市", "西青区").unwrap_err(), Mismatch::District);
        assert_eq!(t.resolve("甘肃省", "天津市", "西青区").unwrap_err(), Mismatch::City);
        assert_eq!(t.resolve("天津市", "市辖区", "西青区").unwrap_err(), Mismatch::City);
        assert_eq!(t.resolve("火星", "白银市", "景泰县").unwrap_err(), Mismatch::Province);
        assert_eq!(t.by_code(120111).unwrap().district.name, "西青区");
        assert!(t.by_code(120000).is_none());
    }

    #[test]
    fn short_names_drop_suffixes_and_ethnic_groups() {
        for (full, short) in [
            ("甘肃省", "甘肃"),
            ("北京市", "北京"),
            ("内蒙古自治区", "内蒙古"),
            ("广西壮族自治区", "广西"),
            ("新疆维吾尔自治区", "新疆"),
            ("临夏回族自治州", "临夏"),
            ("黔东南苗族侗族自治州", "黔东南"),
            ("湘西土家族苗族自治州", "湘西"),
            ("伊犁哈萨克自治州", "伊犁"),
            ("积石山保安族东乡族撒拉族自治县", "积石山"),
            ("大兴安岭地区", "大兴安岭"),
            ("浦东新区", "浦东"),
            ("景泰县", "景泰"),
            ("城区", "城区"),
        ] {
            assert_eq!(short_name(full), short, "{full}");
        }
    }

    #[test]
    fn search_finds_districts_by_any_part_of_their_place_name() {
        let found = tree().search("景泰", 10);
        assert_eq!(found.len(), 1);
        let p = found[0];
        assert_eq!([&*p.province.name, &*p.city.name, &*p.district.name], ["甘肃省", "白银市", "景泰县"]);
        assert_eq!(tree().search("白银 景泰", 10).len(), 1);
        assert_eq!(tree().search("天津 西青", 10)[0].district.code, 120111);
        assert_eq!(tree().search("西青", 5).len(), 1);
        assert!(tree().search("鼓楼", 20).len() > 1);
        assert!(tree().search("  ", 10).is_empty());
    }

    #[test]
    fn the_shipping_surcharge_provinces_are_in_the_tree() {
        for code in REMOTE_PROVINCE_CODES {
            assert!(tree().provinces.iter().any(|p| p.code == code));
        }
        assert_eq!(province_code_of(650102), 650000);
    }
}
