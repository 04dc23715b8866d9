//! Configuration from the environment, each setting with a default that runs
//! the whole shop on one machine.

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `BIND`: the address the server listens on.
    pub bind: String,
    /// `DATABASE_URL`: where orders and the catalogue live.
    pub database_url: String,
    /// `STATIC_DIR`: the built storefront (Trunk's `dist/`), served beside the API.
    pub static_dir: PathBuf,
}

impl Config {
    pub fn from_env() -> Config {
        let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        Config {
            bind: var("BIND", "127.0.0.1:8080"),
            database_url: var("DATABASE_URL", "sqlite://data/shop.db"),
            static_dir: var("STATIC_DIR", "dist").into(),
        }
    }
}
