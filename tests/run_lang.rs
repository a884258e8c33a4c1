//! `medesert run --lang`: the run's plots speak one language, with the reasons' names a
//! reader understands rather than their codes.

mod common;

use common::ok;

fn svg(lang: &str) -> String {
    let out = common::tmp("run_lang", lang);
    ok(common::small_run(&out, r#"["29"]"#, &["--lang", lang]));
    std::fs::read_to_string(out.join("share_without_mt.svg")).unwrap()
}

#[test]
fn run_plots_follow_lang_and_name_reasons_in_words_not_codes() {
    let (fr, en) = (svg("fr"), svg("en"));
    for (text, words) in [
        (
            &fr,
            ["jamais déclaré", "médecin parti à la retraite", "année"],
        ),
        (&en, ["never declared one", "GP retired", "year"]),
    ] {
        for w in words {
            assert!(text.contains(w), "{w} missing");
        }
        assert!(!text.contains("never_declared") && !text.contains("gp_retired"));
    }
    assert!(!fr.contains("never declared one") && !fr.contains("without a GP"));
    assert!(!en.contains("jamais déclaré") && !en.contains("sans médecin"));
}
