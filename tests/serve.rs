//! `medesert serve`: every request is checked as a scenario file is; a bad value, an unknown
//! lever, a scale too large or a malformed request is refused with a message that names it,
//! and the server never panics nor stops; a client's new run cancels its previous one.

mod serving;

use serving::Server;

/// Lines of JSON of a streamed run.
fn lines(body: &str) -> Vec<serde_json::Value> {
    body.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn bad_requests_are_refused_by_name_and_the_server_keeps_serving() {
    let mut server = Server::start("configs/classroom.toml", &["--threads", "2"]);
    let base = "/api/run?client=t1&region=24&scale=50";
    let cases = [
        (format!("{base}&free_lunch=1"), "unknown lever `free_lunch`"),
        // The scenario's own check, with the message a scenario file's value would get.
        (
            format!("{base}&teleconsultation=0.9"),
            "`policy[0] (teleconsultation).remote_share`: expected a number in 0..=0.3",
        ),
        (format!("{base}&numerus=-5"), "intake_per_year"),
        (
            format!("{base}&numerus=abc"),
            "`numerus` = \"abc\": expected a number",
        ),
        (format!("{base}&delegation=1e999"), "expected a number"),
        (
            "/api/run?client=t1&region=FR&scale=10".into(),
            "--max-agents",
        ),
        (
            "/api/run?client=t1&region=24&scale=7".into(),
            "scale = \"7\"",
        ),
        (
            "/api/run?client=t1&region=%22%5D&scale=50".into(),
            "region = \"\\\"]\"",
        ),
        (
            "/api/run?region=24&scale=50".into(),
            "missing parameter `client`",
        ),
        (format!("{base}&scale=20"), "given twice"),
    ];
    for (path, expected) in &cases {
        let (status, body) = server.get(path);
        assert_eq!(status, 400, "{path}: {body}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("a JSON refusal");
        let message = json["error"].as_str().unwrap_or_default();
        assert!(message.contains(expected), "{path}: {message}");
    }
    // Malformed queries and paths: refused by the HTTP layer, never a crash.
    for path in [
        "/api/run?%zz",
        "/api/run?client=a&&&&=",
        "/nowhere",
        "/api/run/../../etc/passwd",
    ] {
        let (status, _) = server.get(path);
        assert!((400..500).contains(&status), "{path}: {status}");
    }
    assert!(server.alive(), "the server stopped on a bad request");
    // And it still runs a good one to its end.
    let (status, body) = server.get("/api/run?client=t2&region=FR&scale=1000");
    assert_eq!(status, 200, "{body}");
    let l = lines(&body);
    assert_eq!(l.first().map(|v| v["type"].clone()), Some("start".into()));
    assert_eq!(
        l.last().map(|v| v["type"].clone()),
        Some("done".into()),
        "{body}"
    );
    let years = l.iter().filter(|v| v["type"] == "year").count();
    assert_eq!(years, 2035 - 2014 + 1);
    assert!(server.alive());
}

#[test]
fn a_clients_new_run_cancels_its_previous_one() {
    let server = Server::start("configs/classroom.toml", &["--threads", "2"]);
    let first = "/api/run?client=same&region=FR&scale=500";
    let port = server.port;
    let pending = std::thread::spawn(move || {
        let s = Server::get_on(port, first);
        s.1
    });
    // Let the first run start, then ask again from the same client with another lever.
    std::thread::sleep(std::time::Duration::from_millis(700));
    let (status, second) =
        server.get("/api/run?client=same&region=FR&scale=500&teleconsultation=0.1");
    assert_eq!(status, 200);
    let first = pending.join().expect("the first request returns");
    let last = |b: &str| lines(b).last().map(|v| v["type"].clone());
    assert_eq!(last(&second), Some("done".into()), "{second}");
    assert_ne!(
        last(&first),
        Some("done".into()),
        "the first run was not cancelled"
    );
}
