//! `medesert serve`: the explorer, a local web app. `GET /` is the page (scripts, styles and
//! outlines inlined); `GET /api/run?client=…&region=…&scale=…&<lever>=<value>…` checks the
//! request as a scenario file is checked and streams the run's years as lines of JSON.
//!
//! One simulation per client at a time: a client's new request cancels its previous run.
//! At most `--max-runs` simulations run at once (each uses every core); the others wait.
//! Finished runs are kept (a few dozen) so the baseline and a slider moved back come at once.

mod levers;
mod request;
mod run;
mod setup;

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use tokio::sync::Semaphore;

use crate::cli::ServeArgs;
use crate::inputs::Inputs;
use crate::scenario::{self, Scenario};
use request::{Place, RunRequest};

/// Finished runs kept, each ≈30 lines of a few kilobytes.
const CACHE_RUNS: usize = 48;

/// A finished run: its overrides (the key) and the lines it sent.
type CachedRun = (Vec<String>, Arc<Vec<String>>);

/// What every request shares.
struct App {
    page: String,
    scenario_path: PathBuf,
    end_year: u16,
    inputs: Inputs,
    places: Vec<Place>,
    max_agents: u64,
    /// The cancel flag of each client's running simulation.
    clients: Mutex<HashMap<String, Arc<AtomicBool>>>,
    runs: Arc<Semaphore>,
    /// Lines of finished runs by their overrides, oldest first.
    cache: Mutex<VecDeque<CachedRun>>,
}

/// Loads the scenario and the data once, then serves until the process is stopped.
pub fn serve(args: ServeArgs) -> Result<()> {
    let base = scenario::load_with_warnings(&args.scenario, &[])?.scenario;
    init_pools(args.threads);
    let inputs = Inputs::load(&args.data).context("cannot load the data files")?;
    let shapes =
        crate::inputs::Shapes::load(&args.data).context("cannot load the outlines of the map")?;
    let places = setup::places(&inputs);
    let page = setup::page(&args, &base, &places, &shapes);
    let app = Arc::new(App {
        page,
        scenario_path: args.scenario.clone(),
        end_year: base.end_year,
        inputs,
        places,
        max_agents: args.max_agents,
        clients: Mutex::new(HashMap::new()),
        runs: Arc::new(Semaphore::new(args.max_runs as usize)),
        cache: Mutex::new(VecDeque::new()),
    });
    let router = Router::new()
        .route("/", get(explorer_page))
        .route("/api/run", get(run_request))
        // Browsers ask for an icon; none, without an error in the console.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found: the explorer is at /") })
        .with_state(app);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the web server's runtime")?;
    runtime.block_on(async move {
        let address = std::net::SocketAddr::new(args.bind, args.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address} (--bind, --port)"))?;
        println!("medesert serve: http://{address}/ (Ctrl-C to stop)");
        axum::serve(listener, router)
            .await
            .context("the web server stopped")
    })
}

/// Sizes rayon's pool and bevy's compute pool once (results do not depend on it).
fn init_pools(threads: Option<usize>) {
    let n = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global()
        .ok();
    bevy_tasks::ComputeTaskPool::get_or_init(|| {
        bevy_tasks::TaskPoolBuilder::new().num_threads(n).build()
    });
}

async fn explorer_page(State(app): State<Arc<App>>) -> Html<String> {
    Html(app.page.clone())
}

/// A refusal: 400 with `{ "error": message }`.
fn refuse(message: impl Into<String>) -> Response {
    let body = serde_json::json!({ "error": message.into() }).to_string();
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

async fn run_request(
    State(app): State<Arc<App>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let req = match request::parse(&pairs, &app.places) {
        Ok(r) => r,
        Err(message) => return refuse(message),
    };
    let overrides = req.overrides(app.end_year);
    // Checking reads the scenario file and selects the communes: off the async threads.
    let checked = {
        let app = app.clone();
        let (req, overrides) = (req.clone(), overrides.clone());
        tokio::task::spawn_blocking(move || check(&app, &req, &overrides)).await
    };
    let (s, start) = match checked {
        Ok(Ok(ok)) => ok,
        Ok(Err(message)) => return refuse(message),
        Err(_) => return refuse("internal error while checking the request"),
    };
    let cached = app.cache.lock().ok().and_then(|c| {
        c.iter()
            .find(|(k, _)| *k == overrides)
            .map(|(_, v)| v.clone())
    });
    let (tx, rx) = tokio::sync::mpsc::channel::<String>(64);
    match cached {
        Some(lines) => {
            tokio::spawn(async move {
                for line in lines.iter() {
                    if tx.send(line.clone()).await.is_err() {
                        break;
                    }
                }
            });
        }
        None => start_run(app, req.client.clone(), (s, start, overrides), tx),
    }
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        let line = rx.recv().await?;
        Some((Ok::<Bytes, Infallible>(Bytes::from(line + "\n")), rx))
    });
    (
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// The scenario of a request, checked as `run --set` checks it, and its start line; or the
/// message of the first check it fails.
fn check(
    app: &App,
    req: &RunRequest,
    overrides: &[String],
) -> Result<(Scenario, run::Start), String> {
    let loaded =
        scenario::load_with_warnings(&app.scenario_path, overrides).map_err(|e| e.to_string())?;
    let s = loaded.scenario;
    let communes = crate::model::territory::select(&app.inputs, &s.territory, &s.matching)
        .map_err(|e| e.to_string())?;
    let people: u64 = communes
        .communes
        .iter()
        .map(|c| u64::from(c.population))
        .sum();
    let agents = people / u64::from(s.persons_per_agent.max(1));
    if agents > app.max_agents {
        return Err(format!(
            "scale = {}: {} agents for {} people (the territory and its border), more than the \
             {} this server runs in seconds (--max-agents): choose a coarser scale or a smaller \
             territory",
            req.scale, agents, people, app.max_agents
        ));
    }
    crate::model::check(&s, &app.inputs).map_err(|e| e.to_string())?;
    let start = run::Start {
        command: run::command(&app.scenario_path.display().to_string(), overrides),
        overrides: overrides.to_vec(),
        years: [s.start_year, s.end_year],
        agents,
        warnings: loaded.warnings,
    };
    Ok((s, start))
}

/// Cancels the client's previous run and starts this one once a slot is free; its lines go
/// to `tx`, and a finished run to the cache.
fn start_run(
    app: Arc<App>,
    client: String,
    job: (Scenario, run::Start, Vec<String>),
    tx: tokio::sync::mpsc::Sender<String>,
) {
    let cancel = Arc::new(AtomicBool::new(false));
    if let Ok(mut clients) = app.clients.lock()
        && let Some(previous) = clients.insert(client, cancel.clone())
    {
        previous.store(true, Ordering::Relaxed);
    }
    tokio::spawn(async move {
        let Ok(permit) = app.runs.clone().acquire_owned().await else {
            return;
        };
        let _ = tokio::task::spawn_blocking(move || {
            let (s, start, overrides) = job;
            let mut send = |line: String| tx.blocking_send(line).is_ok();
            let finished = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run::simulate(&s, &app.inputs, &start, &cancel, &mut send)
            }));
            match finished {
                Ok(Some(lines)) => remember(&app, overrides, lines),
                Ok(None) => {}
                Err(_) => {
                    let _ = tx.blocking_send(run::error_line(
                        "internal error: the simulation stopped (please report it)",
                    ));
                }
            }
            drop(permit);
        })
        .await;
    });
}

/// Keeps a finished run's lines, dropping the oldest beyond [`CACHE_RUNS`].
fn remember(app: &App, overrides: Vec<String>, lines: Vec<String>) {
    if let Ok(mut cache) = app.cache.lock() {
        cache.retain(|(k, _)| *k != overrides);
        cache.push_back((overrides, Arc::new(lines)));
        while cache.len() > CACHE_RUNS {
            cache.pop_front();
        }
    }
}
