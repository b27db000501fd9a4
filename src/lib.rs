//! accord: a static site generator for knowledge bases of guiding principles and practices.
//!
//! Every command runs one pipeline, each stage a function of the previous stage's output:
//!
//! ```text
//! config::load → pipeline::load (content::load, frontmatter::parse) → site::resolve
//!   → audit::build_errors → theme::load → fragments::render_all
//!   → {render::put_pages ∥ views::put ∥ search::index_files} + assets → output::Sink
//! ```
//!
//! Each finished file goes into an [`output::Sink`] as soon as it is made: for `accord build`,
//! the temporary folder that [`output::Staging`] swaps into place once the site is complete.
//!
//! The content model (kinds and front-matter keys) is data in [`model`]; validation, the facts
//! table, exports, `accord new` and `accord schema` derive from it. [`pipeline`] holds the stage
//! functions; [`build`], [`check`], [`bundle`] and [`serve`] are thin drivers over them.

pub mod articles;
pub mod audit;
pub mod build;
pub mod bundle;
pub mod check;
pub mod collisions;
pub mod config;
pub mod content;
pub mod countries;
pub mod date;
pub mod elements;
pub mod error;
pub mod fragments;
pub mod frontmatter;
pub mod glossary;
pub mod highlight;
pub mod html;
pub mod include;
pub mod links;
pub mod markdown;
pub mod math;
pub mod matrix;
pub mod messages;
pub mod model;
pub mod navigation;
pub mod offline;
pub mod output;
pub mod paths;
pub mod pdf;
pub mod pipeline;
pub mod print;
pub mod project;
pub mod redirect;
pub mod remote_assets;
pub mod render;
pub mod safe_url;
pub mod sanitize;
pub mod schema;
pub mod search;
pub mod search_assets;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
pub mod toc;
pub mod translated;
pub mod translation;
pub mod views;

pub use error::{Diagnostic, Error, Result};
