//! The browser layer, for people who will never install Rust: `medesert report` writes one
//! self-contained HTML file from a run or comparison folder, and `medesert serve` is a local
//! web app whose sliders rerun a scenario and stream its years to the page.
//!
//! Like `output/`, this layer only formats what the model recorded (it reads run folders, or
//! the records of a [`crate::model::Simulation`] it runs through the library's API); the
//! pages' scripts and styles live in `assets/web/` and are embedded in the binary.

pub mod commune_data;
pub mod compare_data;
pub mod outlines;
pub mod page;
pub mod report;
pub mod report_data;
pub mod serve;
