//! 智能填写 against the sample table (tests/address_samples.tsv): how many
//! fields it gets right, printed, and held to 95%.

use shop_core::paste::{parse, PastedAddress};
use shop_core::regions::RegionTree;

fn tree() -> RegionTree {
    serde_json::from_str(include_str!("../data/regions.json")).unwrap()
}

/// The sample's cells: name, phone, province, city, district, detail.
fn fields(p: &PastedAddress, tree: &RegionTree) -> [String; 6] {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let [province, city, district] = match p.district_code.and_then(|code| tree.by_code(code)) {
        Some(place) => [&place.province.name, &place.city.name, &place.district.name].map(String::clone),
        None => Default::default(),
    };
    [text(&p.name), text(&p.phone), province, city, district, text(&p.detail)]
}

#[test]
fn fills_at_least_95_percent_of_the_sample_fields_right() {
    let tree = tree();
    let samples = include_str!("address_samples.tsv");
    let (mut right, mut total, mut misses) = (0, 0, Vec::new());
    for line in samples.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), 7, "{line}");
        let paste = cells[0].replace("\\n", "\n");
        let got = fields(&parse(&paste, &tree), &tree);
        for (i, want) in cells[1..].iter().enumerate() {
            total += 1;
            if got[i] == *want {
                right += 1;
            } else {
                misses.push(format!("{paste:?}: field {i} wanted {want:?}, got {:?}", got[i]));
            }
        }
    }
    let rate = right as f64 / total as f64 * 100.0;
    println!("智能填写: {right}/{total} fields right ({rate:.1}%) over {} samples", total / 6);
    for miss in &misses {
        println!("  miss: {miss}");
    }
    assert!(total >= 40 * 6, "the table keeps at least 40 samples");
    assert!(rate >= 95.0, "{rate:.1}% of fields right:\n{}", misses.join("\n"));
}

#[test]
fn says_which_fields_it_could_not_find() {
    let tree = tree();
    let only_address = parse("甘肃省白银市景泰县一条山镇", &tree);
    assert_eq!(only_address.district_code, Some(620423));
    assert_eq!(only_address.missing(), ["contact.name", "contact.phone"]);
    let nothing = parse("你好，明天见", &tree);
    assert_eq!(nothing.missing(), ["contact.name", "contact.phone", "address.district", "address.detail"]);
}

#[test]
fn takes_a_postal_code_standing_alone_and_not_a_house_number() {
    let tree = tree();
    let p = parse("张伟，86-13800138000，天津市 天津市 西青区 中北镇 阜锦道12号，300380", &tree);
    assert_eq!(p.postal_code.as_deref(), Some("300380"));
    assert_eq!(p.detail.as_deref(), Some("中北镇阜锦道12号"));
    assert_eq!(parse("北京市朝阳区建国路88号1203室", &tree).postal_code, None);
}

#[test]
fn reads_prefectures_called_by_their_zhou_and_leaves_a_landline_out_of_the_address() {
    let tree = tree();
    let p = parse("新疆伊犁州伊宁市解放路1号 阿依古丽 13899990000", &tree);
    assert_eq!(p.district_code, Some(654002));
    let p = parse("甘肃省兰州市城关区东岗西路1号，赵六，0931-1234567", &tree);
    assert_eq!((p.name.as_deref(), p.phone, p.detail.as_deref()), (Some("赵六"), None, Some("东岗西路1号")));
}
