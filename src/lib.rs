//! accord: a static site generator for knowledge bases of guiding principles and practices.
//!
//! The build is one pipeline, each stage a function of the previous stage's output:
//!
//! ```text
//! config::load → content::load → site::resolve → render::fragments → {render::page_files, views::render, search::index_files} → output::write_site
//! ```
//!
//! [`build::build`] runs it and times each stage.

pub mod build;
pub mod bundle;
pub mod check;
pub mod config;
pub mod content;
pub mod countries;
pub mod error;
pub mod glossary;
pub mod links;
pub mod markdown;
pub mod output;
pub mod project;
pub mod render;
pub mod search;
pub mod search_assets;
pub mod serve;
pub mod site;
pub mod theme;
pub mod views;

pub use error::{Diagnostic, Error, Result};
