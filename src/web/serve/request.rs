//! A request of the explorer, checked: only known names, numbers that are numbers, a known
//! territory, an offered scale. What the values mean is left to the scenario's own checks
//! (see [`super::levers`]), so the page shows the message a scenario file would get.

use serde::Serialize;

use super::levers;

/// Scales the page offers, people per patient agent (finer is refused as too slow to be
/// interactive; the server's `--max-agents` refuses some of these for large territories).
pub const SCALES: [u32; 7] = [10, 20, 50, 100, 200, 500, 1000];

/// The territory code of all metropolitan France.
pub const FRANCE: &str = "FR";

/// A checked request.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRequest {
    /// Who asks: the page's id (one simulation per client at a time).
    pub client: String,
    /// A région's INSEE code, or [`FRANCE`].
    pub territory: String,
    /// People per patient agent (one of [`SCALES`]).
    pub scale: u32,
    /// Each slider sent, with its value.
    pub levers: Vec<(&'static str, f64)>,
}

/// A territory the page may pick.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    /// INSEE code of the région, or [`FRANCE`].
    pub code: String,
    /// Name.
    pub name: String,
    /// People living there (communes.csv), for the page to grey out scales too fine for it.
    pub population: u64,
}

/// Parses the query's name–value pairs; `places` are the territories offered. Every refusal
/// names the parameter, the value and what was expected.
pub fn parse(pairs: &[(String, String)], places: &[Place]) -> Result<RunRequest, String> {
    let mut req = RunRequest {
        client: String::new(),
        territory: String::new(),
        scale: 0,
        levers: Vec::new(),
    };
    let mut seen: Vec<&str> = Vec::new();
    for (name, value) in pairs {
        if seen.contains(&name.as_str()) {
            return Err(format!("`{name}` given twice: give each parameter once"));
        }
        seen.push(name);
        match name.as_str() {
            "client" => req.client = client(value)?,
            "region" => req.territory = territory(value, places)?,
            "scale" => req.scale = scale(value)?,
            key => {
                let Some((slider, _)) = levers::find(key) else {
                    return Err(unknown(key));
                };
                let v: f64 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite())
                    .ok_or_else(|| format!("lever `{key}` = {value:?}: expected a number"))?;
                req.levers.push((slider.key, v));
            }
        }
    }
    for (name, missing) in [
        ("client", req.client.is_empty()),
        ("region", req.territory.is_empty()),
        ("scale", req.scale == 0),
    ] {
        if missing {
            return Err(format!("missing parameter `{name}`"));
        }
    }
    Ok(req)
}

fn unknown(key: &str) -> String {
    let levers: Vec<&str> = levers::SLIDERS.iter().map(|(s, _)| s.key).collect();
    format!(
        "unknown lever `{key}`: expected one of {}, or region, scale, client",
        levers.join(", ")
    )
}

fn client(value: &str) -> Result<String, String> {
    let ok = (1..=64).contains(&value.len())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(value.to_string())
    } else {
        Err(format!(
            "client = {value:?}: expected 1 to 64 letters, digits or '-'"
        ))
    }
}

fn territory(value: &str, places: &[Place]) -> Result<String, String> {
    if places.iter().any(|p| p.code == value) {
        return Ok(value.to_string());
    }
    let codes: Vec<&str> = places.iter().map(|p| p.code.as_str()).collect();
    Err(format!(
        "region = {value:?}: expected {FRANCE} (metropolitan France) or a région's INSEE code ({})",
        codes.join(", ")
    ))
}

fn scale(value: &str) -> Result<u32, String> {
    let offered: Vec<String> = SCALES.iter().map(u32::to_string).collect();
    value
        .trim()
        .parse()
        .ok()
        .filter(|s| SCALES.contains(s))
        .ok_or_else(|| {
            format!(
                "scale = {value:?}: expected people per agent among {}",
                offered.join(", ")
            )
        })
}

impl RunRequest {
    /// The `--set` overrides that make the base scenario this request: the same that
    /// `medesert run SCENARIO --set …` takes, in the same order.
    pub fn overrides(&self, end_year: u16) -> Vec<String> {
        let regions = if self.territory == FRANCE {
            "[]".to_string()
        } else {
            format!("[\"{}\"]", self.territory)
        };
        let mut out = vec![
            format!("persons_per_agent={}", self.scale),
            format!("territory.regions={regions}"),
            "territory.departements=[]".to_string(),
        ];
        out.extend(levers::policy_override(&self.levers, end_year));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Vec<Place> {
        vec![
            Place {
                code: FRANCE.into(),
                name: "France".into(),
                population: 65_000_000,
            },
            Place {
                code: "24".into(),
                name: "Centre-Val de Loire".into(),
                population: 2_600_000,
            },
        ]
    }

    fn pairs(text: &str) -> Vec<(String, String)> {
        text.split('&')
            .filter_map(|p| p.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_good_request_becomes_the_overrides_of_the_cli() {
        let r = parse(
            &pairs("client=a1&region=24&scale=50&teleconsultation=0.1"),
            &places(),
        )
        .unwrap();
        let o = r.overrides(2035);
        assert_eq!(o[0], "persons_per_agent=50");
        assert_eq!(o[1], "territory.regions=[\"24\"]");
        assert!(o[3].contains("remote_share = 0.1"), "{o:?}");
    }

    #[test]
    fn unknown_levers_bad_numbers_scales_and_territories_are_refused_by_name() {
        let p = places();
        let cases = [
            (
                "client=a&region=24&scale=50&free_lunch=1",
                "unknown lever `free_lunch`",
            ),
            (
                "client=a&region=24&scale=50&numerus=lots",
                "`numerus` = \"lots\"",
            ),
            (
                "client=a&region=24&scale=50&numerus=NaN",
                "expected a number",
            ),
            ("client=a&region=24&scale=1", "scale = \"1\""),
            ("client=a&region=99&scale=50", "region = \"99\""),
            ("client=a&region=24&scale=50&scale=20", "given twice"),
            ("client=a b&region=24&scale=50", "client"),
            ("region=24&scale=50", "missing parameter `client`"),
        ];
        for (query, expected) in cases {
            let err = parse(&pairs(query), &p).unwrap_err();
            assert!(err.contains(expected), "{query}: {err}");
        }
    }
}
