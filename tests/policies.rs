//! Every policy lever moves its first-order outcome in the expected direction on a small
//! scenario (two départements at 1:50, the same seeds with and without the lever), and bad
//! policies are refused with a clear message before anything runs.

mod common;

use std::path::{Path, PathBuf};

use common::medesert;
use std::sync::OnceLock;

use medesert::inputs::Inputs;
use medesert::model::{Counts, PracticeMode, Simulation};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn inputs() -> &'static Inputs {
    static I: OnceLock<Inputs> = OnceLock::new();
    I.get_or_init(|| Inputs::load(&root().join("data")).expect("data loads"))
}

const SEEDS: [u64; 2] = [7, 8];

/// National counts by year of a scenario file on Finistère and Morbihan at 1:50.
fn run(file: &str, seed: u64, extra: &[&str]) -> Vec<(u16, Counts)> {
    let mut sets = vec![
        "territory.departements=[\"29\", \"56\"]".to_string(),
        "persons_per_agent=50".to_string(),
        format!("seed={seed}"),
    ];
    sets.extend(extra.iter().map(|s| s.to_string()));
    let s = medesert::scenario::load(&root().join(file), &sets).expect("scenario loads");
    let mut sim = Simulation::new(&s, inputs()).expect("builds");
    sim.run(|_| {});
    sim.records()
        .years
        .iter()
        .map(|y| (y.year, y.national.clone()))
        .collect()
}

/// Sum over seeds and years in `years` of `f`, for the baseline and for the policy file.
fn compare(file: &str, years: std::ops::RangeInclusive<u16>, f: fn(&Counts) -> f64) -> (f64, f64) {
    let total = |file: &str| -> f64 {
        SEEDS
            .iter()
            .flat_map(|&seed| run(file, seed, &[]))
            .filter(|(y, _)| years.contains(y))
            .map(|(_, c)| f(&c))
            .sum()
    };
    (total("configs/baseline.toml"), total(file))
}

fn share_without(c: &Counts) -> f64 {
    c.without_mt_17plus_total() as f64 / c.population_17plus as f64
}

#[test]
fn a_larger_intake_brings_more_gps_and_fewer_patients_without_one_a_decade_later() {
    let (base, policy) = compare("configs/policies/numerus.toml", 2037..=2040, |c| {
        c.gps as f64
    });
    assert!(policy > base * 1.03, "GPs: {base} → {policy}");
    let (base, policy) = compare("configs/policies/numerus.toml", 2037..=2040, share_without);
    assert!(policy < base, "share without an MT: {base} → {policy}");
    let (base, policy) = compare("configs/policies/numerus.toml", 2018..=2030, |c| {
        c.gps as f64
    });
    assert_eq!(base, policy, "no effect before the new cohorts graduate");
}

/// Cher and Indre: the lever founds MSPs in under-dense communes with solo GPs and no group,
/// which Finistère and Morbihan (attractive to GPs since the place constants of issue 31) no
/// longer have.
const MSP_TERRITORY: &str = "territory.departements=[\"18\", \"36\"]";

#[test]
fn msp_funding_founds_more_msps_and_pays_for_its_own_only() {
    let msps = |file: &str| -> f64 {
        SEEDS
            .iter()
            .flat_map(|&seed| run(file, seed, &[MSP_TERRITORY]))
            .filter(|(y, _)| *y == 2030)
            .map(|(_, c)| c.msp_count as f64)
            .sum()
    };
    let (base, policy) = (
        msps("configs/baseline.toml"),
        msps("configs/policies/msp-funding.toml"),
    );
    assert!(policy > base, "MSPs: {base} → {policy}");
    // The baseline's MSPs are paid by the baseline: it counts no policy cost.
    let baseline = run("configs/baseline.toml", 7, &[MSP_TERRITORY]);
    assert!(baseline.iter().all(|(_, c)| c.policy_cost_eur == 0.0));
    let years = run("configs/policies/msp-funding.toml", 7, &[MSP_TERRITORY]);
    let by_year = |y: u16| {
        &years
            .iter()
            .find(|(year, _)| *year == y)
            .expect("run year")
            .1
    };
    // Nothing is paid before the lever starts (2025); from the first year it founds an MSP
    // (a year may find no eligible site), the ACI of its MSPs is paid every year.
    let first = years
        .iter()
        .find(|(_, c)| c.policy_cost_eur > 0.0)
        .map(|(y, _)| *y)
        .expect("the lever pays for something");
    assert!((2025..=2027).contains(&first), "first paid in {first}");
    for (y, c) in &years {
        assert_eq!(
            c.policy_cost_eur > 0.0,
            *y >= first,
            "{y}: {}",
            c.policy_cost_eur
        );
    }
    // The cost is the grants of the lever's new MSPs and the ACI of those it founded (≈70 k€
    // each), far below paying ≈70,000 € for every MSP, as the lever once did.
    let c2030 = by_year(2030);
    assert!(
        c2030.policy_cost_eur < 0.5 * 70_000.0 * c2030.msp_count as f64,
        "2030: {} € for {} MSPs",
        c2030.policy_cost_eur,
        c2030.msp_count
    );
}

#[test]
fn an_installation_incentive_moves_installations_into_the_under_dense_zone() {
    let (base, policy) = compare(
        "configs/policies/installation-incentive.toml",
        2025..=2040,
        |c| c.installations_under_dense as f64 / c.installations.max(1) as f64,
    );
    assert!(
        policy > base,
        "share of installations in the zone: {base} → {policy}"
    );
}

#[test]
fn incentives_for_working_retirees_keep_more_of_them_working() {
    let f = |c: &Counts| {
        let i = PracticeMode::ALL
            .iter()
            .position(|m| *m == PracticeMode::WorkingRetiree);
        c.gps_by_mode[i.expect("a mode")] as f64
    };
    let (base, policy) = compare("configs/policies/working-retirees.toml", 2026..=2040, f);
    assert!(policy > base * 1.1, "working retirees: {base} → {policy}");
    let (base, policy) = compare("configs/policies/working-retirees.toml", 2026..=2040, |c| {
        c.gps as f64
    });
    assert!(policy > base, "GPs: {base} → {policy}");
}

#[test]
fn delegation_teleconsultation_and_cpts_support_lower_the_share_without_a_gp() {
    for file in [
        "configs/policies/delegation.toml",
        "configs/policies/teleconsultation.toml",
        "configs/policies/cpts-support.toml",
    ] {
        let (base, policy) = compare(file, 2027..=2040, share_without);
        assert!(
            policy < base,
            "{file}: share without an MT {base} → {policy}"
        );
    }
}

#[test]
fn priority_for_chronic_patients_lowers_their_share_without_a_gp() {
    let chronic = |c: &Counts| c.chronic_without_mt_17plus as f64 / c.chronic_17plus as f64;
    let without: f64 = SEEDS
        .iter()
        .flat_map(|&s| run("configs/policies/no-chronic-priority.toml", s, &[]))
        .filter(|(y, _)| (2024..=2030).contains(y))
        .map(|(_, c)| chronic(&c))
        .sum();
    let with: f64 = SEEDS
        .iter()
        .flat_map(|&s| run("configs/baseline.toml", s, &[]))
        .filter(|(y, _)| (2024..=2030).contains(y))
        .map(|(_, c)| chronic(&c))
        .sum();
    assert!(
        with < without,
        "chronic share without an MT: {without} (no plan) → {with}"
    );
}

fn refused(name: &str, policy: &str, needles: &[&str]) {
    let dir = std::env::temp_dir().join(format!("medesert-policy-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.toml");
    let base = root().join("configs/tiny.toml");
    std::fs::write(
        &file,
        format!(
            "extends = {:?}\nname = \"bad\"\n\n[[policy]]\n{policy}",
            base.to_str().unwrap()
        ),
    )
    .unwrap();
    let out_dir = dir.join("out");
    let out = medesert(&[
        "run",
        file.to_str().unwrap(),
        "-q",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(!out.status.success(), "{name}: accepted");
    let err = String::from_utf8_lossy(&out.stderr);
    for n in needles {
        assert!(err.contains(n), "{name}: {n:?} not in {err}");
    }
    assert!(!out_dir.exists(), "{name}: wrote something");
    assert!(!Path::new(&out_dir).exists());
}

#[test]
fn bad_policies_are_refused_before_anything_runs() {
    refused(
        "unknown-lever",
        "lever = \"free_gps\"\nfrom_year = 2025\n",
        &["free_gps", "unknown variant"],
    );
    refused(
        "year-outside-the-run",
        "lever = \"teleconsultation\"\nfrom_year = 2050\nremote_share = 0.1\n",
        &[
            "policy[0] (teleconsultation).from_year",
            "2050",
            "2014..=2040",
        ],
    );
    refused(
        "unknown-departement",
        "lever = \"msp_funding\"\nfrom_year = 2025\nscope = { departements = [\"99\"] }\n\
         projects_per_million = 3.0\nstart_up_grant_eur = 50000.0\n",
        &[
            "policy[0] (msp_funding).scope",
            "99",
            "simulated département",
        ],
    );
    refused(
        "negative-budget",
        "lever = \"installation_incentive\"\nfrom_year = 2025\namount_eur = -5000.0\n\
         utility_per_10k_eur = 0.04\n",
        &["amount_eur", "-5000", "not negative"],
    );
    refused(
        "unknown-operator",
        "lever = \"health_centre_programme\"\nfrom_year = 2025\ncentres_per_million = 1.0\n\
         gps_per_centre = 4\noperator = \"hospital\"\npayment = \"capitation\"\nteulade = true\n\
         deficit_cover_share = 1.0\nstart_up_grant_eur = 0.0\n",
        &["`operator`", "hospital", "municipality", "clinic_group"],
    );
    refused(
        "count-out-of-its-type",
        "lever = \"cpts_support\"\nfrom_year = 2025\ncoverage_share = 1.0\nextra_tries = 300\n\
         cost_per_100k_people_eur = 0.0\n",
        &["`extra_tries`", "300", "u8"],
    );
    refused(
        "national-lever-with-a-scope",
        "lever = \"numerus\"\nfrom_year = 2025\nscope = \"under_dense\"\nintake_per_year = 16000.0\n",
        &["scope", "all of France"],
    );
}

#[test]
fn a_resolved_policy_scenario_reads_back_the_same() {
    for file in [
        "configs/policies/package.toml",
        "configs/policies/cpts-support.toml",
        "configs/policies/health-centre-programme.toml",
        "configs/policies/teaching-practices.toml",
        "configs/policies/local-services.toml",
    ] {
        let s = medesert::scenario::load(&root().join(file), &[]).expect("loads");
        assert!(!s.policies.is_empty());
        let again =
            medesert::scenario::parse(&s.to_toml(), Path::new(file), &[]).expect("reads back");
        assert_eq!(s, again, "{file}");
    }
}

#[test]
fn regulation_moves_installations_out_of_well_served_zones() {
    let file = "configs/policies/installation-regulation.toml";
    let well_served = |c: &Counts| (c.installations - c.installations_under_dense) as f64;
    let (base, policy) = compare(file, 2026..=2040, well_served);
    assert!(
        policy < base,
        "installations in well-served communes: {base} → {policy}"
    );
    let (base, policy) = compare(file, 2026..=2040, |c| c.installations_under_dense as f64);
    assert!(
        policy > base,
        "installations in the under-dense zone: {base} → {policy}"
    );
}

#[test]
fn gps_refused_under_regulation_opt_out_by_the_documented_shares() {
    let file = "configs/policies/installation-regulation.toml";
    let total = |extra: &[&str], f: fn(&Counts) -> f64| -> f64 {
        run(file, SEEDS[0], extra)
            .iter()
            .filter(|(y, _)| (2026..=2040).contains(y))
            .map(|(_, c)| f(c))
            .sum()
    };
    let refused = |c: &Counts| c.installations_refused as f64;
    let (waited, left) = (
        |c: &Counts| c.refused_waited as f64,
        |c: &Counts| c.refused_left as f64,
    );
    // With the shipped shares, some of each; nobody is refused in the baseline.
    let n = total(&[], refused);
    assert!(n > 0.0, "nobody refused");
    assert!(total(&[], waited) > 0.0 && total(&[], left) > 0.0);
    assert!(total(&[], waited) + total(&[], left) < n);
    let base: f64 = run("configs/baseline.toml", SEEDS[0], &[])
        .iter()
        .map(|(_, c)| refused(c))
        .sum();
    assert_eq!(base, 0.0);
    // Everyone refused leaves primary care: fewer GPs than when they all install elsewhere.
    let all_leave = [
        "installation.refused_wait_share=0",
        "installation.refused_leave_share=1",
    ];
    let none_leave = [
        "installation.refused_wait_share=0",
        "installation.refused_leave_share=0",
    ];
    assert_eq!(total(&all_leave, left), total(&all_leave, refused));
    assert_eq!(total(&none_leave, left), 0.0);
    let gps = |extra: &[&str]| total(extra, |c| c.gps as f64);
    assert!(gps(&all_leave) < gps(&none_leave), "leaving removes GPs");
}

#[test]
fn docteurs_juniors_with_their_own_patients_lower_the_share_without_a_gp_while_they_practise() {
    let (base, policy) = compare(
        "configs/policies/junior-doctors.toml",
        2027..=2035,
        share_without,
    );
    assert!(policy < base, "share without an MT: {base} → {policy}");
    let (base, policy) = compare(
        "configs/policies/junior-doctors.toml",
        2018..=2025,
        share_without,
    );
    assert_eq!(
        base, policy,
        "nothing changes before the first docteurs juniors"
    );
}

#[test]
fn a_health_centre_programme_opens_centres_pays_their_deficits_and_lowers_the_share() {
    let file = "configs/policies/health-centre-programme.toml";
    let (base, policy) = compare(file, 2030..=2035, |c| c.health_centre_count as f64);
    assert!(policy > base, "health centres: {base} → {policy}");
    let big = "tests/policies/many-centres.toml";
    let (base, policy) = compare(big, 2028..=2038, share_without);
    assert!(policy < base, "share without an MT: {base} → {policy}");
    let (base, policy) = compare(file, 2026..=2035, |c| c.policy_cost_eur);
    assert!(base == 0.0 && policy > 0.0, "cost: {base} → {policy}");
    let (base, policy) = compare(file, 2018..=2025, share_without);
    assert_eq!(base, policy, "no effect before the programme");
}

#[test]
fn unfunded_programme_centres_close_once_the_programme_ends() {
    let file = "tests/policies/closing-centres.toml";
    let extra = |year: u16| {
        let (base, policy) = compare(file, year..=year, |c| c.health_centre_count as f64);
        policy - base
    };
    let (at_end, later) = (extra(2028), extra(2034));
    assert!(at_end > 0.0, "programme centres open: {at_end}");
    assert!(
        later < at_end,
        "centres without cover close: {at_end} more centres in 2028, {later} in 2034"
    );
}

#[test]
fn teaching_practices_keep_their_interns_nearby() {
    // Installations in Finistère, where every MSP hosts interns, over both seeds.
    let finistere = |file: &str| -> (u64, f64) {
        let mut installs = 0;
        let mut cost = 0.0;
        for &seed in &SEEDS {
            let sets = [
                "territory.departements=[\"29\", \"56\"]".to_string(),
                "persons_per_agent=50".to_string(),
                format!("seed={seed}"),
            ];
            let s = medesert::scenario::load(&root().join(file), &sets).expect("scenario loads");
            let mut sim = Simulation::new(&s, inputs()).expect("builds");
            sim.run(|_| {});
            let d = sim
                .communes()
                .departements
                .iter()
                .position(|d| d.code == "29")
                .expect("Finistère simulated");
            for y in sim.records().years.iter().filter(|y| y.year >= 2026) {
                installs += y.departements[d].installations;
                cost += y.departements[d].policy_cost_eur;
            }
        }
        (installs, cost)
    };
    let (base, _) = finistere("configs/baseline.toml");
    let (policy, cost) = finistere("tests/policies/teaching-finistere.toml");
    assert!(
        policy > base,
        "installations in Finistère: {base} → {policy}"
    );
    assert!(cost > 0.0, "accredited practices are paid for");
}

#[test]
fn local_services_of_retirees_and_interns_help_while_funded_and_close_after() {
    let file = "tests/policies/local-services-ending.toml";
    let gps = |year: u16| {
        let (base, policy) = compare(file, year..=year, |c| c.gps as f64);
        policy - base
    };
    let (during, after) = (gps(2030), gps(2031));
    assert!(during > 0.0, "retired GPs in the services: {during}");
    assert!(
        after < during / 2.0,
        "the services close when the lever stops: {during} more GPs in 2030, {after} in 2031"
    );
    let (base, policy) = compare(file, 2026..=2030, share_without);
    assert!(policy < base, "share without an MT: {base} → {policy}");
    let (base, policy) = compare(file, 2024..=2030, |c| c.policy_cost_eur);
    assert!(base == 0.0 && policy > 0.0, "cost: {base} → {policy}");
}

#[test]
fn the_chronic_priority_lever_on_all_of_france_is_the_2023_plan() {
    for seed in SEEDS {
        let plan = run("configs/baseline.toml", seed, &[]);
        let lever = run("tests/policies/chronic-lever.toml", seed, &[]);
        assert_eq!(plan, lever, "seed {seed}: the lever differs from the plan");
    }
    let without = run("configs/policies/no-chronic-priority.toml", SEEDS[0], &[]);
    assert!(without != run("configs/baseline.toml", SEEDS[0], &[]));
}
