//! The simulator's side of WeChat Pay's cryptography, written apart from
//! the shop's and on other crates (RustCrypto's `rsa` and `aes-gcm`): the
//! merchant's signatures are checked with the merchant's public key, the
//! simulator signs as WeChat with its own key, and encrypts notifications
//! with the APIv3 key.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::prelude::{Engine, BASE64_STANDARD};
use rand_core::{OsRng, RngCore};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::Sha256;

/// A fresh RSA-2048 key pair.
pub fn new_key() -> RsaPrivateKey {
    RsaPrivateKey::new(&mut OsRng, 2048).expect("RSA key generation works")
}

pub fn private_pem(key: &RsaPrivateKey) -> String {
    key.to_pkcs8_pem(LineEnding::LF).expect("a key encodes").to_string()
}

pub fn public_pem(key: &RsaPublicKey) -> String {
    key.to_public_key_pem(LineEnding::LF).expect("a key encodes")
}

pub fn private_from_pem(pem: &str) -> Option<RsaPrivateKey> {
    RsaPrivateKey::from_pkcs8_pem(pem).ok()
}

pub fn public_from_pem(pem: &str) -> Option<RsaPublicKey> {
    RsaPublicKey::from_public_key_pem(pem).ok()
}

/// SHA256withRSA (PKCS#1 v1.5) over `message`, base64.
pub fn sign(key: &RsaPrivateKey, message: &str) -> String {
    let signature: Signature = SigningKey::<Sha256>::new(key.clone()).sign(message.as_bytes());
    BASE64_STANDARD.encode(signature.to_bytes())
}

/// Whether `signature` (base64) is `key`'s over `message`.
pub fn verify(key: &RsaPublicKey, message: &str, signature: &str) -> bool {
    let Ok(bytes) = BASE64_STANDARD.decode(signature) else { return false };
    let Ok(signature) = Signature::try_from(bytes.as_slice()) else { return false };
    VerifyingKey::<Sha256>::new(key.clone()).verify(message.as_bytes(), &signature).is_ok()
}

/// AEAD_AES_256_GCM with the APIv3 key: base64 of ciphertext and tag.
pub fn encrypt(apiv3_key: &[u8], nonce: &str, associated_data: &str, plaintext: &str) -> String {
    let cipher = Aes256Gcm::new_from_slice(apiv3_key).expect("a 32-byte key");
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(nonce.as_bytes()),
            Payload { msg: plaintext.as_bytes(), aad: associated_data.as_bytes() },
        )
        .expect("encryption works");
    BASE64_STANDARD.encode(sealed)
}

/// `len` random characters from `[0-9A-Za-z]`.
pub fn random_text(len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut bytes = vec![0u8; len];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect()
}

/// The parts of a merchant's `Authorization: WECHATPAY2-SHA256-RSA2048 k="v",…`.
pub struct Authorization {
    pub mchid: String,
    pub nonce: String,
    pub signature: String,
    pub timestamp: String,
    pub serial: String,
}

pub fn parse_authorization(header: &str) -> Option<Authorization> {
    let params = header.strip_prefix("WECHATPAY2-SHA256-RSA2048 ")?;
    let value = |name: &str| {
        params.split(',').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.trim_matches('"').to_owned())
        })
    };
    Some(Authorization {
        mchid: value("mchid")?,
        nonce: value("nonce_str")?,
        signature: value("signature")?,
        timestamp: value("timestamp")?,
        serial: value("serial_no")?,
    })
}

#[cfg(test)]
mod tests {
    //! The same third-party vectors the shop's code is checked against
    //! (`crates/order-api/tests/fixtures/wechatpay`, made with OpenSSL and
    //! Python's `cryptography`).
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../order-api/tests/fixtures/wechatpay/");

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{FIXTURES}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn signs_as_openssl_does_and_verifies_its_signatures() {
        let merchant = private_from_pem(&fixture("merchant_key.pem")).unwrap();
        let message = fixture("request_message.txt");
        assert_eq!(sign(&merchant, &message), fixture("request_signature.b64").trim());
        let merchant_public = public_from_pem(&fixture("merchant_pub.pem")).unwrap();
        assert!(verify(&merchant_public, &message, fixture("request_signature.b64").trim()));
        assert!(!verify(&merchant_public, &message.replace("POST", "GET"), fixture("request_signature.b64").trim()));
        let platform_public = public_from_pem(&fixture("platform_pub.pem")).unwrap();
        assert!(verify(&platform_public, &fixture("answer_message.txt"), fixture("answer_signature.b64").trim()));
        assert!(!verify(&platform_public, &fixture("answer_message.txt"), "WECHATPAY/SIGNTEST/AAAA"));
    }

    #[test]
    fn encrypts_as_python_does() {
        let sealed = encrypt(
            fixture("apiv3_key.txt").as_bytes(),
            &fixture("resource_nonce.txt"),
            &fixture("resource_associated_data.txt"),
            &fixture("resource_plaintext.json"),
        );
        assert_eq!(sealed, fixture("resource_ciphertext.b64").trim());
    }

    #[test]
    fn reads_the_authorization_header() {
        let header = r#"WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="N",signature="S==",timestamp="1554208460",serial_no="5157F0""#;
        let auth = parse_authorization(header).unwrap();
        assert_eq!((auth.mchid.as_str(), auth.nonce.as_str(), auth.signature.as_str()), ("1900000109", "N", "S=="));
        assert_eq!((auth.timestamp.as_str(), auth.serial.as_str()), ("1554208460", "5157F0"));
        assert!(parse_authorization("Bearer x").is_none());
    }
}
