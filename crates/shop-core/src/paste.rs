//! 智能填写: a pasted block of text (WeChat's 复制地址, a shopping app's share
//! text, a line typed in a chat) split into consignee, phone, province, city,
//! district and detail, matched against the same [`RegionTree`] the picker
//! and the server use. Written by hand on `char`s: the `regex` crate would
//! bloat the wasm.

use crate::field;
use crate::regions::{short_name, City, District, Named, Place, Province, RegionTree};
use crate::validate::{self, PHONE_DIGITS, POSTAL_CODE_DIGITS};

/// What a paste held. `None` where it was not found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PastedAddress {
    pub name: Option<String>,
    pub phone: Option<String>,
    /// The district found (its province and city with it: `RegionTree::by_code`).
    pub district_code: Option<u32>,
    pub detail: Option<String>,
    pub postal_code: Option<String>,
}

impl PastedAddress {
    /// The checkout fields the paste did not fill, as field paths.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            (self.name.is_none(), field::CONTACT_NAME),
            (self.phone.is_none(), field::CONTACT_PHONE),
            (self.district_code.is_none(), field::ADDRESS_DISTRICT),
            (self.detail.is_none(), field::ADDRESS_DETAIL),
        ]
        .into_iter()
        .filter_map(|(missing, path)| missing.then_some(path))
        .collect()
    }
}

/// Words that introduce a field in copied addresses (收货人:, 手机号码:),
/// longest first so 收货人姓名 goes before 收货人.
const LABELS: [&str; 22] = [
    "收货人姓名",
    "手机号码",
    "联系电话",
    "联系方式",
    "电话号码",
    "所在地区",
    "收货地址",
    "详细地址",
    "邮政编码",
    "收货人",
    "收件人",
    "联系人",
    "手机号",
    "所在地",
    "省市区",
    "姓名",
    "名字",
    "电话",
    "手机",
    "地区",
    "地址",
    "邮编",
];

/// Reads a pasted address. Never fails: what it cannot find stays `None`.
pub fn parse(text: &str, tree: &RegionTree) -> PastedAddress {
    let mut chars: Vec<char> = text.chars().map(half_width).collect();
    let phone = take_phone(&mut chars);
    let postal_code = take_postal_code(&mut chars);
    let text = words(&chars).join(" ");
    let Some(found) = find_region(&text, tree) else {
        // No address: a name only beside a phone (张三 13800138000), not any word.
        let words: Vec<&str> = text.split(' ').collect();
        let name = phone.as_ref().and_then(|_| name_among(&words, false));
        return PastedAddress { name, phone, postal_code, ..Default::default() };
    };
    let before: Vec<&str> = text[..found.start].split_whitespace().collect();
    let mut after: Vec<&str> = text[found.end..].split_whitespace().collect();
    let mut name = name_among(&before, false);
    if name.is_none() {
        // Some formats put the consignee after the address (…27号 王五).
        name = after.last().map(|w| without_shou(w)).filter(|w| is_name(w, true)).map(str::to_owned);
        if name.is_some() {
            after.pop();
        }
    }
    PastedAddress {
        name,
        phone,
        district_code: Some(found.place.district.code),
        detail: Some(join(&after)).filter(|d| !d.is_empty()),
        postal_code,
    }
}

/// Full-width letters, digits and punctuation (１３８, ：, ，) as ASCII,
/// the ideographic space as a space.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Finds a mainland mobile number written any common way (13800138000,
/// 138-0013-8000, +86 139 1234 5678, (+86)133…), removes it from the text and
/// returns its 11 digits.
fn take_phone(text: &mut Vec<char>) -> Option<String> {
    let is_part = |c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')');
    // Runs of number characters, as (start, end) indices.
    let mut runs = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if is_part(text[i]) {
            let start = i;
            while i < text.len() && is_part(text[i]) {
                i += 1;
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    // Try runs joined across single spaces, longest first from each start.
    for first in 0..runs.len() {
        let mut last = first;
        while last + 1 < runs.len() && runs[last + 1].0 == runs[last].1 + 1 && text[runs[last].1] == ' ' {
            last += 1;
        }
        for end in (first..=last).rev() {
            let (start, stop) = (runs[first].0, runs[end].1);
            let digits: String = text[start..stop].iter().filter(|c| c.is_ascii_digit()).collect();
            let digits = match digits.strip_prefix("86") {
                Some(rest) if rest.len() == PHONE_DIGITS => rest.to_owned(),
                _ => digits,
            };
            if validate::phone(&digits).is_ok() {
                text.splice(start..stop, [' ']);
                return Some(digits);
            }
        }
    }
    // A landline (0931-1234567) is no mobile: taken out so it is not read as
    // part of the address, and the phone left for the shopper to type.
    if let Some(&(start, stop)) = runs.iter().find(|&&(start, stop)| is_landline(&text[start..stop])) {
        text.splice(start..stop, [' ']);
    }
    None
}

/// An area code and number: 0 and two or three digits, an optional dash,
/// seven or eight digits.
fn is_landline(run: &[char]) -> bool {
    let digits: String = run.iter().filter(|c| c.is_ascii_digit()).collect();
    let only_digits_and_dash = run.iter().all(|c| c.is_ascii_digit() || *c == '-');
    only_digits_and_dash && digits.starts_with('0') && (10..=12).contains(&digits.len())
}

/// A six-digit number standing alone (邮编 300380), removed from the text.
fn take_postal_code(text: &mut Vec<char>) -> Option<String> {
    let mut i = 0;
    while i < text.len() {
        if !text[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < text.len() && text[i].is_ascii_digit() {
            i += 1;
        }
        let alone = |at: Option<&char>| at.is_none_or(|c| is_separator(*c) || *c == ' ' || is_label_end(*c));
        if i - start == POSTAL_CODE_DIGITS && (start == 0 || alone(text.get(start - 1))) && alone(text.get(i)) {
            let code: String = text[start..i].iter().collect();
            text.splice(start..i, [' ']);
            return Some(code);
        }
    }
    None
}

fn is_label_end(c: char) -> bool {
    c == ':'
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ';' | '|' | '、' | '。' | '[' | ']' | '【' | '】' | '<' | '>' | '"' | '\'' | '“' | '”' | '(' | ')'
        )
}

/// The text as words: split at separators, with field labels (收货人:,
/// 手机号码, 所在地区 …) dropped where a word starts with one.
fn words(text: &[char]) -> Vec<String> {
    let text: String = text.iter().map(|&c| if is_separator(c) { ' ' } else { c }).collect();
    let mut words = Vec::new();
    for word in text.split(|c: char| c == ' ' || is_label_end(c)) {
        let mut word = word;
        while let Some(rest) = LABELS.iter().find_map(|label| word.strip_prefix(label)) {
            word = rest;
        }
        if !word.is_empty() {
            words.push(word.to_owned());
        }
    }
    words
}

/// Joins detail words: no space between Chinese characters (中北镇 阜锦道12号
/// → 中北镇阜锦道12号), one between Latin letters or digits (Tower A).
fn join(words: &[&str]) -> String {
    let mut out = String::new();
    for word in words {
        let ascii_meets_ascii = out.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
            && word.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        if ascii_meets_ascii {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Characters an address part ends with, never a person's name.
const PLACE_ENDINGS: &str = "路街道号楼室镇村乡巷弄院区栋层座组社里苑园城厦场站湾桥屯庄寨县市省局店部司厂队校";

/// A consignee: two to four Chinese characters (or a longer name with the
/// middle dot, 阿依古丽·买买提). After the address, also not ending like a place.
fn is_name(word: &str, after_address: bool) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let han = |c: &char| ('\u{4E00}'..='\u{9FFF}').contains(c);
    let dotted = chars.contains(&'·') && chars.len() <= 12 && chars.iter().all(|c| han(c) || *c == '·');
    let plain = (2..=4).contains(&chars.len()) && chars.iter().all(han);
    (plain || dotted) && !(after_address && chars.last().is_some_and(|c| PLACE_ENDINGS.contains(*c)))
}

fn name_among(words: &[&str], after_address: bool) -> Option<String> {
    words.iter().rev().map(|w| without_shou(w)).find(|w| is_name(w, after_address)).map(str::to_owned)
}

/// 张小凡收 (for 张小凡) → 张小凡.
fn without_shou(word: &str) -> &str {
    word.strip_suffix('收').filter(|name| name.chars().count() >= 2).unwrap_or(word)
}

/// A region named in the text: bytes `start..end` are its names.
struct FoundRegion<'t> {
    start: usize,
    end: usize,
    place: Place<'t>,
}

/// How well a reading of the text names a district: how many levels the
/// text itself names (province, city, district), then how many bytes.
type Score = (usize, usize);

/// The best-named region starting at a word (or, failing that, anywhere, for
/// pastes with no spaces at all: 收件人刘洋辽宁省大连市…).
fn find_region<'t>(text: &str, tree: &'t RegionTree) -> Option<FoundRegion<'t>> {
    let at_words = text.char_indices().filter(|&(i, _)| i == 0 || text[..i].ends_with(' ')).map(|(i, _)| i);
    best_at(text, at_words, tree, 1).or_else(|| best_at(text, text.char_indices().map(|(i, _)| i), tree, 2))
}

fn best_at<'t>(
    text: &str,
    starts: impl Iterator<Item = usize>,
    tree: &'t RegionTree,
    least_levels: usize,
) -> Option<FoundRegion<'t>> {
    let mut best: Option<(Score, FoundRegion<'t>)> = None;
    for start in starts {
        for (score, place) in readings(&text[start..], tree) {
            if score.0 >= least_levels && best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, FoundRegion { start, end: start + score.1, place }));
            }
        }
    }
    best.map(|(_, found)| found)
}

/// Every way `text` can begin with a district's names: province first (the
/// city may be left out when the district tells it, as in 天津市西青区),
/// city first, or a district name alone when no other district has it.
fn readings<'t>(text: &str, tree: &'t RegionTree) -> Vec<(Score, Place<'t>)> {
    let mut found = Vec::new();
    for province in &tree.provinces {
        for after_province in prefixes(text, province) {
            let rest = &text[after_province..];
            for city in &province.cities {
                for after_city in prefixes(rest, city) {
                    for (len, district) in districts_at(&rest[after_city..], city) {
                        let place = Place { province, city, district };
                        found.push(((3, after_province + after_city + len), place));
                    }
                }
            }
            if let Some((len, place)) = district_of_province(rest, province) {
                found.push(((2, after_province + len), place));
            }
        }
        for city in &province.cities {
            for after_city in prefixes(text, city) {
                for (len, district) in districts_at(&text[after_city..], city) {
                    found.push(((2, after_city + len), Place { province, city, district }));
                }
            }
        }
    }
    let lone: Vec<Place<'t>> = tree.places().filter(|p| text.starts_with(p.district.name.as_str())).collect();
    if let [place] = lone[..] {
        found.push(((1, place.district.name.len()), place));
    }
    found
}

/// Byte lengths of `text`'s beginnings that name `entry` (full name or short
/// form), each with the spaces after it.
fn prefixes(text: &str, entry: &impl Named) -> Vec<usize> {
    let full = entry.name();
    let short = short_name(full);
    // Prefectures are also called by their short name and 州 (伊犁州, 临夏州).
    let prefecture = if full.ends_with("自治州") { [short, "州"].concat() } else { String::new() };
    let mut lens = Vec::new();
    for form in [full, short, &prefecture] {
        if !form.is_empty() && text.starts_with(form) && !lens.contains(&form.len()) {
            let rest = &text[form.len()..];
            lens.push(form.len() + (rest.len() - rest.trim_start().len()));
        }
    }
    lens
}

fn districts_at<'t>(text: &str, city: &'t City) -> Vec<(usize, &'t District)> {
    city.districts.iter().flat_map(|d| prefixes(text, d).into_iter().map(move |len| (len, d))).collect()
}

/// A district named right after its province, the city left out: only when
/// just one of the province's cities has a district by that name.
fn district_of_province<'t>(text: &str, province: &'t Province) -> Option<(usize, Place<'t>)> {
    let hits: Vec<(usize, Place<'t>)> = province
        .cities
        .iter()
        .flat_map(|city| {
            districts_at(text, city).into_iter().map(move |(len, district)| (len, Place { province, city, district }))
        })
        .collect();
    let longest = hits.iter().map(|(len, _)| *len).max()?;
    let mut named = hits.into_iter().filter(|(len, _)| *len == longest);
    named.next().filter(|_| named.next().is_none())
}
