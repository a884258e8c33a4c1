//! Whole HTML pages with their styles, scripts and data inlined: the report opens from a
//! `file://` address with no network, and `serve` needs no file beside the binary. The assets
//! (assets/web/) are embedded at build time, so `cargo build` needs no npm.

use serde::Serialize;

use crate::output::text::Lang;

const STYLE: &str = include_str!("../../assets/web/style.css");
const CHARTS: &str = include_str!("../../assets/web/charts.js");
const TEXT: &str = include_str!("../../assets/web/text.js");
const REPORT_JS: &str = include_str!("../../assets/web/report.js");
const REPORT_HTML: &str = include_str!("../../assets/web/report.html");
const SERVE_JS: &str = include_str!("../../assets/web/serve.js");
const SERVE_HTML: &str = include_str!("../../assets/web/serve.html");

/// The second line of every report (after the doctype): a file that has it near its start
/// was written by medesert and may be replaced by another report.
pub const REPORT_MARK: &str = "<!-- medesert report -->";

/// The report page of `data` (a run's or a comparison's), titled `title`.
pub fn report(data: &impl Serialize, lang: Lang, title: &str) -> String {
    fill(
        REPORT_HTML,
        lang,
        title,
        &[CHARTS, TEXT, REPORT_JS],
        &json(data),
    )
}

/// The explorer page of `serve`; `setup` is what the page needs before its first request
/// (levers, territories, scales, outlines).
pub fn explorer(setup: &impl Serialize, lang: Lang, title: &str) -> String {
    fill(
        SERVE_HTML,
        lang,
        title,
        &[CHARTS, TEXT, SERVE_JS],
        &json(setup),
    )
}

/// Data as JSON that is safe inside a `<script>` element: every `<` (there are some only in
/// strings) is written `\u003c`, so no text can close the element.
fn json(data: &impl Serialize) -> String {
    // Serialising plain records (strings, numbers, maps with string keys) cannot fail.
    let text = serde_json::to_string(data).unwrap_or_else(|_| "null".to_string());
    text.replace('<', "\\u003c")
}

/// The template with its placeholders filled; the data last, so that nothing in it is taken
/// for a placeholder.
fn fill(template: &str, lang: Lang, title: &str, scripts: &[&str], data: &str) -> String {
    template
        .replace("{{lang}}", lang.code())
        .replace("{{title}}", &escape(title))
        .replace("/*{{style}}*/", STYLE)
        .replace("/*{{scripts}}*/", &scripts.join("\n"))
        .replace("{{data}}", data)
}

/// Text safe in HTML content and attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_close_the_script_element() {
        let page = report(
            &vec!["</script><script>alert(1)</script>"],
            Lang::En,
            "a <b>",
        );
        assert!(page[..100].contains(REPORT_MARK));
        assert_eq!(
            page.matches("</script>").count(),
            2,
            "only the page's own two"
        );
        assert!(page.contains("a &lt;b&gt;"));
        assert!(page.contains("\\u003c/script>"));
    }
}
