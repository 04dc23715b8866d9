//! WeChat Pay API v3's cryptography, from ring: the merchant's SHA256-RSA
//! (PKCS#1 v1.5) signatures over requests and the JSAPI call, verification
//! of WeChat's signatures over answers and notifications with the 微信支付公钥
//! its serial names, and AES-256-GCM decryption of a notification's
//! resource with the APIv3 key. Nothing here panics on what it is given:
//! bad keys, signatures, base64 or ciphertext are errors.

use base64::prelude::{Engine, BASE64_STANDARD};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{RsaKeyPair, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{PrivatePkcs8KeyDer, SubjectPublicKeyInfoDer};
use spki::der::Decode;

/// How far a WeChat timestamp may be from our clock (WeChat's own SDKs allow 5 minutes).
pub const MAX_CLOCK_SKEW_SECS: i64 = 5 * 60;

/// What went wrong with a key, a signature or a ciphertext.
#[derive(Debug, PartialEq, Eq)]
pub struct CryptoError(pub &'static str);

impl std::fmt::Display for CryptoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// The merchant's API key (`apiclient_key.pem`, PKCS#8) and its
/// certificate's serial number.
pub struct MerchantKey {
    key: RsaKeyPair,
    pub serial: String,
}

impl MerchantKey {
    pub fn from_pem(pem: &[u8], serial: &str) -> Result<MerchantKey, CryptoError> {
        let der = PrivatePkcs8KeyDer::from_pem_slice(pem).map_err(|_| CryptoError("not a PKCS#8 PEM private key"))?;
        let key = RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).map_err(|_| CryptoError("not an RSA private key"))?;
        Ok(MerchantKey { key, serial: serial.to_owned() })
    }

    /// SHA256-RSA over `message`, in base64.
    pub fn sign(&self, message: &str) -> Result<String, CryptoError> {
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message.as_bytes(), &mut signature)
            .map_err(|_| CryptoError("signing failed"))?;
        Ok(BASE64_STANDARD.encode(signature))
    }
}

/// WeChat Pay's public key (`pub_key.pem`) and its id (`PUB_KEY_ID_…`), which
/// answers and notifications name in `Wechatpay-Serial`.
pub struct PlatformKey {
    /// The RSA public key as PKCS#1 DER, what ring verifies with.
    rsa_public_key: Vec<u8>,
    pub id: String,
}

impl PlatformKey {
    pub fn from_pem(pem: &[u8], id: &str) -> Result<PlatformKey, CryptoError> {
        let der = SubjectPublicKeyInfoDer::from_pem_slice(pem).map_err(|_| CryptoError("not a PEM public key"))?;
        let info =
            spki::SubjectPublicKeyInfoRef::from_der(der.as_ref()).map_err(|_| CryptoError("not a public key"))?;
        const RSA_ENCRYPTION: spki::ObjectIdentifier = spki::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
        if info.algorithm.oid != RSA_ENCRYPTION {
            return Err(CryptoError("not an RSA public key"));
        }
        let rsa_public_key =
            info.subject_public_key.as_bytes().ok_or(CryptoError("a public key with loose bits"))?.to_vec();
        Ok(PlatformKey { rsa_public_key, id: id.to_owned() })
    }

    /// Whether `signature` (base64, as in `Wechatpay-Signature`) is this
    /// key's signature over `message`. A probe signature
    /// (`WECHATPAY/SIGNTEST/…`) is not base64 of one, so it fails.
    pub fn verifies(&self, message: &str, signature: &str) -> bool {
        let Ok(signature) = BASE64_STANDARD.decode(signature.trim()) else { return false };
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.rsa_public_key)
            .verify(message.as_bytes(), &signature)
            .is_ok()
    }
}

/// What a signed request carries (the `Authorization` header's parts).
pub struct RequestSignature {
    pub timestamp: i64,
    pub nonce: String,
    pub signature: String,
}

/// The 5 lines a request signature covers: `METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n`.
pub fn request_message(method: &str, path_and_query: &str, timestamp: i64, nonce: &str, body: &str) -> String {
    format!("{method}\n{path_and_query}\n{timestamp}\n{nonce}\n{body}\n")
}

/// The 3 lines an answer's or notification's signature covers.
pub fn answer_message(timestamp: &str, nonce: &str, body: &str) -> String {
    format!("{timestamp}\n{nonce}\n{body}\n")
}

/// The 4 lines the JSAPI call's `paySign` covers: `appId\ntimeStamp\nnonceStr\npackage\n`.
pub fn jsapi_message(app_id: &str, time_stamp: &str, nonce: &str, package: &str) -> String {
    format!("{app_id}\n{time_stamp}\n{nonce}\n{package}\n")
}

/// The `Authorization` header of a request: `WECHATPAY2-SHA256-RSA2048 mchid="…",…`.
pub fn authorization(mchid: &str, serial: &str, signed: &RequestSignature) -> String {
    format!(
        r#"WECHATPAY2-SHA256-RSA2048 mchid="{mchid}",nonce_str="{}",signature="{}",timestamp="{}",serial_no="{serial}""#,
        signed.nonce, signed.signature, signed.timestamp
    )
}

/// 32 random characters from `[0-9A-Z]`, for nonces.
pub fn nonce() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut bytes = [0u8; 32];
    // The OS random source failing is not something to go on from.
    SystemRandom::new().fill(&mut bytes).expect("the OS random source works");
    bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect()
}

/// The answer to "is this answer (or notification) WeChat's, and fresh?".
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Genuine,
    /// Its `Wechatpay-Serial` names a key we do not have.
    UnknownKey,
    /// Its timestamp is more than 5 minutes from our clock (a replay, or a wrong clock).
    Stale,
    /// A header is missing or unreadable.
    Unsigned,
    /// The signature does not match (a probe, a forgery, a changed body).
    Forged,
}

/// Checks the `Wechatpay-*` headers of an answer or notification against
/// its raw body, at `now` (seconds since the epoch).
pub fn verify_answer(key: &PlatformKey, header: impl Fn(&str) -> Option<String>, body: &str, now: i64) -> Verdict {
    let (Some(timestamp), Some(nonce), Some(signature), Some(serial)) = (
        header("wechatpay-timestamp"),
        header("wechatpay-nonce"),
        header("wechatpay-signature"),
        header("wechatpay-serial"),
    ) else {
        return Verdict::Unsigned;
    };
    if serial.trim() != key.id {
        return Verdict::UnknownKey;
    }
    let Ok(seconds) = timestamp.trim().parse::<i64>() else { return Verdict::Unsigned };
    if now.abs_diff(seconds) > MAX_CLOCK_SKEW_SECS as u64 {
        return Verdict::Stale;
    }
    if key.verifies(&answer_message(timestamp.trim(), nonce.trim(), body), &signature) {
        Verdict::Genuine
    } else {
        Verdict::Forged
    }
}

/// The APIv3 key: 32 bytes (WeChat issues it as 32 ASCII characters).
pub struct ApiV3Key(LessSafeKey);

impl ApiV3Key {
    pub fn new(key: &[u8]) -> Result<ApiV3Key, CryptoError> {
        let key = UnboundKey::new(&AES_256_GCM, key).map_err(|_| CryptoError("the APIv3 key must be 32 bytes"))?;
        Ok(ApiV3Key(LessSafeKey::new(key)))
    }

    /// A notification's `resource`: base64 ciphertext with its 16-byte tag,
    /// a 12-byte nonce, and the associated data.
    pub fn decrypt(&self, ciphertext_b64: &str, nonce: &str, associated_data: &str) -> Result<String, CryptoError> {
        let nonce: [u8; NONCE_LEN] =
            nonce.as_bytes().try_into().map_err(|_| CryptoError("the nonce is not 12 bytes"))?;
        let mut data =
            BASE64_STANDARD.decode(ciphertext_b64).map_err(|_| CryptoError("the ciphertext is not base64"))?;
        let plain = self
            .0
            .open_in_place(Nonce::assume_unique_for_key(nonce), Aad::from(associated_data.as_bytes()), &mut data)
            .map_err(|_| CryptoError("the ciphertext does not decrypt (wrong key, nonce, data or tag)"))?;
        String::from_utf8(plain.to_vec()).map_err(|_| CryptoError("the plaintext is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    //! Against vectors made independently of this code, with OpenSSL and
    //! Python's `cryptography` (`tests/fixtures/wechatpay/make-vectors.sh`).
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/wechatpay/");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn text(name: &str) -> String {
        String::from_utf8(fixture(name)).unwrap().trim_end_matches('\n').to_owned()
    }

    #[test]
    fn signs_requests_as_openssl_does() {
        // PKCS#1 v1.5 is deterministic: the same key and message give OpenSSL's bytes.
        let key = MerchantKey::from_pem(&fixture("merchant_key.pem"), "SERIAL").unwrap();
        let message = String::from_utf8(fixture("request_message.txt")).unwrap();
        assert_eq!(
            message,
            request_message(
                "POST",
                "/v3/pay/transactions/jsapi",
                1554208460,
                "593BEC0C930BF1AFEB40B4A08C8FB242",
                r#"{"appid":"wxd678efh567hg6787","mchid":"1230000109"}"#
            )
        );
        assert_eq!(key.sign(&message).unwrap(), text("request_signature.b64"));
    }

    #[test]
    fn verifies_what_openssl_signed_and_nothing_else() {
        let key = PlatformKey::from_pem(&fixture("platform_pub.pem"), "PUB_KEY_ID_TEST").unwrap();
        let message = String::from_utf8(fixture("answer_message.txt")).unwrap();
        let signature = text("answer_signature.b64");
        assert!(key.verifies(&message, &signature));
        assert!(!key.verifies(&message.replace("SUCCESS", "SUCCES5"), &signature));
        assert!(!key.verifies(&message, "WECHATPAY/SIGNTEST/b3RoZXI="));
        assert!(!key.verifies(&message, "not base64 at all!"));
        // The merchant's key is not WeChat's.
        let merchant = PlatformKey::from_pem(&fixture("merchant_pub.pem"), "PUB_KEY_ID_TEST").unwrap();
        assert!(!merchant.verifies(&message, &signature));
    }

    #[test]
    fn the_answer_headers_decide_the_verdict() {
        let key = PlatformKey::from_pem(&fixture("platform_pub.pem"), "PUB_KEY_ID_TEST").unwrap();
        let message = String::from_utf8(fixture("answer_message.txt")).unwrap();
        let mut lines = message.splitn(3, '\n');
        let (timestamp, nonce, body) = (lines.next().unwrap(), lines.next().unwrap(), lines.next().unwrap());
        let body = body.strip_suffix('\n').unwrap();
        let signature = text("answer_signature.b64");
        let at: i64 = timestamp.parse().unwrap();
        let headers = |serial: &'static str, signature: String| {
            move |name: &str| match name {
                "wechatpay-timestamp" => Some(timestamp.to_owned()),
                "wechatpay-nonce" => Some(nonce.to_owned()),
                "wechatpay-signature" => Some(signature.clone()),
                "wechatpay-serial" => Some(serial.to_owned()),
                _ => None,
            }
        };
        assert_eq!(verify_answer(&key, headers("PUB_KEY_ID_TEST", signature.clone()), body, at + 60), Verdict::Genuine);
        assert_eq!(verify_answer(&key, headers("PUB_KEY_ID_TEST", signature.clone()), body, at + 301), Verdict::Stale);
        assert_eq!(verify_answer(&key, headers("PUB_KEY_ID_OTHER", signature.clone()), body, at), Verdict::UnknownKey);
        let probe = "WECHATPAY/SIGNTEST/".to_owned() + &signature;
        assert_eq!(verify_answer(&key, headers("PUB_KEY_ID_TEST", probe), body, at), Verdict::Forged);
        assert_eq!(verify_answer(&key, |_| None, body, at), Verdict::Unsigned);
    }

    #[test]
    fn decrypts_what_python_encrypted() {
        let key = ApiV3Key::new(text("apiv3_key.txt").as_bytes()).unwrap();
        let (nonce, aad) = (text("resource_nonce.txt"), text("resource_associated_data.txt"));
        let plain = key.decrypt(&text("resource_ciphertext.b64"), &nonce, &aad).unwrap();
        assert_eq!(plain, text("resource_plaintext.json"));
        assert!(key.decrypt(&text("resource_ciphertext.b64"), &nonce, "refund").is_err(), "other associated data");
        assert!(key.decrypt(&text("resource_ciphertext.b64"), "short", &aad).is_err());
        assert!(key.decrypt("***", &nonce, &aad).is_err());
        assert!(ApiV3Key::new(b"sixteen byte key").is_err());
    }

    #[test]
    fn bad_keys_are_errors() {
        assert!(MerchantKey::from_pem(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "S").is_err());
        assert!(PlatformKey::from_pem(b"garbage", "ID").is_err());
        assert!(PlatformKey::from_pem(&fixture("merchant_key.pem"), "ID").is_err(), "a private key is no public key");
    }
}
