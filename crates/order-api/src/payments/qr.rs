//! The Native payment's QR code, drawn by the server as SVG (a `data:` URL
//! the page shows as an image), so the wasm carries no QR encoder.

use base64::prelude::{Engine, BASE64_STANDARD};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// `code_url` as a QR code in an SVG `data:` URL (the shop's CSP allows
/// `img-src data:`). A code_url is at most a few dozen characters, so it
/// always fits; an impossible one gives an empty image rather than a panic.
pub fn svg_data_url(code_url: &str) -> String {
    let svg = QrCode::with_error_correction_level(code_url.as_bytes(), EcLevel::M)
        .map(|code| {
            code.render::<svg::Color>().min_dimensions(240, 240).quiet_zone(true).dark_color(svg::Color("#000")).build()
        })
        .unwrap_or_default();
    ["data:image/svg+xml;base64,", &BASE64_STANDARD.encode(svg)].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_an_svg_image() {
        let url = svg_data_url("weixin://wxpay/bizpayurl?pr=Ab12Cd3");
        let svg = BASE64_STANDARD.decode(url.strip_prefix("data:image/svg+xml;base64,").unwrap()).unwrap();
        let svg = String::from_utf8(svg).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"), "{svg}");
    }
}
