//! accord: a static site generator for knowledge bases of guiding principles and practices.
//!
//! The build is one pipeline, each stage a function of the previous stage's output:
//!
//! ```text
//! config::load → content::load → site::resolve → render::fragments → {render::page_files, views::render, search::index_files} → output::write_site
//! ```
//!
//! [`build::build`] runs it and times each stage.

pub mod audit;
pub mod build;
pub mod bundle;
pub mod check;
pub mod config;
pub mod content;
pub mod countries;
pub mod date;
pub mod error;
pub mod fragments;
pub mod frontmatter;
pub mod glossary;
pub mod html;
pub mod links;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod project;
pub mod remote_assets;
pub mod render;
pub mod schema;
pub mod search;
pub mod search_assets;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
pub mod views;

pub use error::{Diagnostic, Error, Result};
