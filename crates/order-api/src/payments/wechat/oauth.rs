//! WeChat's silent web authorisation (网页授权, `scope=snsapi_base`): the
//! only way a page in WeChat's browser learns the shopper's `openid`, which
//! a JSAPI payment names as its payer. The browser is sent to WeChat, which
//! comes straight back with a `code`; the server exchanges the code, with
//! the app secret (which never reaches the browser), for the openid.

use super::super::ProviderError;
use serde::Deserialize;
use std::time::Duration;

pub struct WechatOauth {
    http: reqwest::Client,
    appid: String,
    secret: String,
    /// `https://open.weixin.qq.com`, or the simulator's address.
    oauth_base_url: String,
    /// `https://api.weixin.qq.com`, or the simulator's address.
    api_base_url: String,
    /// `{PUBLIC_ORIGIN}/api/wechat/oauth/callback`.
    callback_url: String,
}

#[derive(Deserialize)]
struct TokenAnswer {
    openid: Option<String>,
    errcode: Option<i64>,
    errmsg: Option<String>,
}

impl WechatOauth {
    pub fn new(appid: &str, secret: &str, oauth_base_url: &str, api_base_url: &str, callback_url: &str) -> WechatOauth {
        WechatOauth {
            http: reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("an HTTP client builds"),
            appid: appid.to_owned(),
            secret: secret.to_owned(),
            oauth_base_url: oauth_base_url.trim_end_matches('/').to_owned(),
            api_base_url: api_base_url.trim_end_matches('/').to_owned(),
            callback_url: callback_url.to_owned(),
        }
    }

    /// Where to send the browser; WeChat comes back to the callback with
    /// `code` and this `state` (at most 128 characters of `[A-Za-z0-9]`).
    pub fn authorize_url(&self, state: &str) -> String {
        format!(
            "{}/connect/oauth2/authorize?appid={}&redirect_uri={}&response_type=code&scope=snsapi_base&state={state}#wechat_redirect",
            self.oauth_base_url,
            self.appid,
            percent_encode(&self.callback_url)
        )
    }

    /// The openid a `code` from the callback stands for (each code works once).
    pub async fn openid(&self, code: &str) -> Result<String, ProviderError> {
        let url = format!("{}/sns/oauth2/access_token", self.api_base_url);
        let query = [
            ("appid", self.appid.as_str()),
            ("secret", &self.secret),
            ("code", code),
            ("grant_type", "authorization_code"),
        ];
        let answer =
            self.http.get(url).query(&query).send().await.map_err(|e| ProviderError::Unknown(e.to_string()))?;
        let answer: TokenAnswer =
            answer.json().await.map_err(|e| ProviderError::Unknown(format!("unreadable: {e}")))?;
        match (answer.openid, answer.errcode) {
            (Some(openid), None | Some(0)) if !openid.is_empty() => Ok(openid),
            (_, errcode) => Err(ProviderError::Refused {
                status: 200,
                code: errcode.unwrap_or_default().to_string(),
                message: answer.errmsg.unwrap_or_default(),
            }),
        }
    }
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorize_url_is_wechats_silent_one() {
        let oauth = WechatOauth::new(
            "wxd930ea5d5a258f4f",
            "s",
            "https://open.weixin.qq.com",
            "https://api.weixin.qq.com",
            "https://shop.example.cn/api/wechat/oauth/callback",
        );
        assert_eq!(
            oauth.authorize_url("XQ7K3M9P2R4T"),
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wxd930ea5d5a258f4f\
             &redirect_uri=https%3A%2F%2Fshop.example.cn%2Fapi%2Fwechat%2Foauth%2Fcallback\
             &response_type=code&scope=snsapi_base&state=XQ7K3M9P2R4T#wechat_redirect"
        );
    }
}
