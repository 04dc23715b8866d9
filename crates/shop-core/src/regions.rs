//! Mainland China's 31 provincial divisions, named as in the GB/T 2260
//! region data. Addresses carry these names (not codes): the server accepts
//! only these, and the shipping rule's remote-region surcharge keys on them.

pub const PROVINCES: [&str; 31] = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
];

pub fn is_province(name: &str) -> bool {
    PROVINCES.contains(&name)
}

/// Couriers charge extra for these; most agricultural shops add a surcharge
/// there rather than refusing (shared/domain-notes.md, "Shipping").
pub const REMOTE_PROVINCES: [&str; 2] = ["新疆维吾尔自治区", "西藏自治区"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_all_31_provincial_divisions_once() {
        let mut names = PROVINCES.to_vec();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 31);
        assert!(is_province("天津市") && is_province("甘肃省"));
        assert!(!is_province("天津") && !is_province("香港特别行政区") && !is_province(""));
        assert!(REMOTE_PROVINCES.iter().all(|p| is_province(p)));
    }
}
