//! The words users choose from, one enum each, shared by the command line (clap), `ballast.json` and the report
//! (serde), and every stage, so a name is spelled in one place.

use serde::{Deserialize, Serialize};

/// Whose semantics to follow: linking, chunking, the code it adds, its minifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Bundler {
    /// Vite ≤ 7 (Rollup underneath).
    #[default]
    Vite,
    /// Vite 8 / Rolldown.
    Rolldown,
    Rollup,
    /// webpack 5 (Next.js builds with it).
    #[serde(alias = "next")]
    #[cfg_attr(feature = "clap", value(alias = "next"))]
    Webpack,
    Rspack,
    Esbuild,
}

impl Bundler {
    pub const ALL: [Bundler; 6] = [
        Bundler::Vite,
        Bundler::Rolldown,
        Bundler::Rollup,
        Bundler::Webpack,
        Bundler::Rspack,
        Bundler::Esbuild,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Bundler::Vite => "vite",
            Bundler::Rolldown => "rolldown",
            Bundler::Rollup => "rollup",
            Bundler::Webpack => "webpack",
            Bundler::Rspack => "rspack",
            Bundler::Esbuild => "esbuild",
        }
    }

    /// The name as written on the command line or in `ballast.json` (`next` is webpack).
    pub fn parse(s: &str) -> Option<Bundler> {
        if s == "next" {
            return Some(Bundler::Webpack);
        }
        Bundler::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// Which minifier the `min` sizes come from; `auto` follows the bundler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum MinifierChoice {
    #[default]
    Auto,
    Oxc,
    Swc,
    Esbuild,
    None,
}

impl MinifierChoice {
    pub const ALL: [MinifierChoice; 5] = [
        MinifierChoice::Auto,
        MinifierChoice::Oxc,
        MinifierChoice::Swc,
        MinifierChoice::Esbuild,
        MinifierChoice::None,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            MinifierChoice::Auto => "auto",
            MinifierChoice::Oxc => "oxc",
            MinifierChoice::Swc => "swc",
            MinifierChoice::Esbuild => "esbuild",
            MinifierChoice::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<MinifierChoice> {
        MinifierChoice::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_serde_and_parse() {
        for b in Bundler::ALL {
            assert_eq!(Bundler::parse(b.as_str()), Some(b));
            assert_eq!(serde_json::to_string(&b).unwrap(), format!("\"{}\"", b.as_str()));
        }
        assert_eq!(serde_json::from_str::<Bundler>("\"next\"").unwrap(), Bundler::Webpack);
        for m in MinifierChoice::ALL {
            assert_eq!(MinifierChoice::parse(m.as_str()), Some(m));
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{}\"", m.as_str()));
        }
    }
}
