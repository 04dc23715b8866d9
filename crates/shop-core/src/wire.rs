//! Enums whose values travel as words: in JSON, in query strings and in
//! database columns. [`wire_enum!`] writes each word once, beside its
//! variant, and derives from it serde's name, `as_str`, `parse`, `ALL` and
//! the `TryFrom<String>` a database row is read through. Reading one from
//! JSON goes through `parse` (one string path for every such enum, rather
//! than serde's visitor per enum: about 1 KB of wasm each).

use std::fmt;

/// A word that names no value of the enum it was read as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    pub of: &'static str,
    pub name: String,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a {}", self.name, self.of)
    }
}

impl std::error::Error for UnknownName {}

/// `wire_enum! { /// docs  pub enum Name { Variant = "word", … } }`
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident = $wire:tt,)+ }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$variant_meta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's word on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            pub fn parse(word: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|value| value.as_str() == word)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let word = String::deserialize(deserializer)?;
                $name::parse(&word).ok_or_else(|| {
                    serde::de::Error::custom($crate::wire::UnknownName { of: stringify!($name), name: word })
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::wire::UnknownName;

            fn try_from(word: String) -> Result<$name, Self::Error> {
                $name::parse(&word).ok_or($crate::wire::UnknownName { of: stringify!($name), name: word })
            }
        }
    };
}

pub(crate) use wire_enum;
