//! Resources: the territory, tables derived from the data, and year-level state.

use bevy_ecs::prelude::*;

use crate::scenario::Scenario;

mod locums;
mod patient_counts;

use crate::scenario::policy::{Operator, Payment};
pub use locums::{Destination, Locum, LocumPool};
pub use patient_counts::PatientCounts;

/// This year's parameters: the scenario with the levers in force applied
/// (`apply_policies`). Processes read these.
#[derive(Resource, Debug, Clone)]
pub struct Params(pub Scenario);

/// The scenario as written, from which `apply_policies` derives each year's [`Params`].
#[derive(Resource, Debug, Clone)]
pub struct BaseScenario(pub Scenario);

/// This year's local effects of the scoped levers, by commune, and the unit costs of the
/// levers in force (all neutral without policies).
#[derive(Resource, Debug, Clone, Default)]
pub struct PolicyEffects {
    /// Installations allowed per departure in the well-served communes where installation is
    /// regulated (negative: not regulated).
    pub regulation: Vec<f32>,
    /// Utility added to under-dense communes in the installation choice (incentive).
    pub install_bonus: Vec<f32>,
    /// € paid per GP installing in an under-dense commune.
    pub incentive_eur: Vec<f32>,
    /// Territorial MSP projects funded by the `msp_funding` levers in force.
    pub msp_projects: Vec<MspProjects>,
    /// Delegation to medical assistants and nurses, by commune.
    pub delegation: Vec<Delegation>,
    /// € a year per working retiree.
    pub retiree_cost_eur: f64,
    /// Share of docteurs juniors placed in the under-dense zone (1: zone first, the baseline).
    pub junior_under_dense_share: f64,
    /// Share of GPs past pension age about to stop who go on as working retirees instead.
    pub retiree_retained_share: f64,
    /// € a year per person covered by a CPTS.
    pub cpts_cost_per_person_eur: f64,
    /// Share of the consultations served remotely (teleconsultation), by the patient's
    /// commune.
    pub teleconsultation_share: Vec<f32>,
    /// Share of an in-person consultation's GP time a remote one saves the MT
    /// (`workload.remote_consultation_saving`).
    pub remote_saving: f64,
    /// Health-centre programmes in force: what they open this year, and where.
    pub centre_programmes: Vec<CentreProgramme>,
    /// Share of its centres' deficits each policy pays this year, by policy index (0 when not
    /// a health-centre programme in force).
    pub centre_cover: Vec<f64>,
    /// Accredited share of the MSPs of each commune (teaching practices).
    pub teaching_share: Vec<f32>,
    /// € a year per accredited teaching practice, by commune.
    pub teaching_cost_eur: Vec<f32>,
    /// Interns hosted a year by an accredited practice.
    pub interns_per_practice: f64,
    /// Extra probability that a hosted intern installs in the practice's département.
    pub teaching_retention_share: f64,
    /// Local services of retirees and interns in force (the Laval model).
    pub local_services: Option<LocalServicePlan>,
    /// GPs of the commune take chronic patients beyond their threshold (the `chronic_priority`
    /// lever).
    pub chronic_priority: Vec<bool>,
}

/// Delegation in force in a commune: who takes up an assistant, and how much.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Delegation {
    /// Assistant FTE per GP who takes up the contract.
    pub assistant_fte: f32,
    /// Share of the eligible GPs (group practice or MSP) who take it up.
    pub uptake_share: f32,
    /// € a year per GP with an assistant.
    pub cost_per_gp_eur: f32,
}

/// This year's local services of retired GPs and interns.
#[derive(Debug, Clone, Default)]
pub struct LocalServicePlan {
    /// Services opened this year.
    pub per_year: f64,
    /// Retired GPs per service.
    pub retirees: u8,
    /// Consultations a year of the service's interns.
    pub interns_acts: f64,
    /// € a year per service.
    pub cost_per_service_eur: f64,
    /// Sites: under-dense communes, cumulative population.
    pub sites: Vec<(u64, u16)>,
}

/// Territorial MSP projects of a year: the baseline's or a lever's.
#[derive(Debug, Clone, Default)]
pub struct MspProjects {
    /// Index of the `msp_funding` policy in the scenario (`None`: the baseline's projects).
    pub policy: Option<u16>,
    /// Projects founded a year.
    pub per_year: f64,
    /// Communes in scope, by index (empty: all).
    pub scope: Vec<bool>,
    /// One-off grant per project, €.
    pub start_up_grant_eur: f64,
}

/// A health-centre programme in force this year (from its lever and the year's zoning).
#[derive(Debug, Clone)]
pub struct CentreProgramme {
    /// Index of the policy in the scenario.
    pub policy: u16,
    /// Centres opened a year.
    pub centres_per_year: f64,
    /// Salaried GPs at opening.
    pub gps_per_centre: u8,
    /// Who runs its centres.
    pub operator: Operator,
    /// How its centres are paid.
    pub payment: Payment,
    /// Its centres receive the Teulade subsidy.
    pub teulade: bool,
    /// One-off grant per centre, €.
    pub start_up_grant_eur: f64,
    /// Sites: under-dense communes of the scope, cumulative population.
    pub sites: Vec<(u64, u16)>,
}

impl PolicyEffects {
    /// No effect, for `n` communes.
    pub fn neutral(n: usize) -> PolicyEffects {
        PolicyEffects {
            regulation: vec![-1.0; n],
            install_bonus: vec![0.0; n],
            incentive_eur: vec![0.0; n],
            delegation: vec![Delegation::default(); n],
            teaching_share: vec![0.0; n],
            teaching_cost_eur: vec![0.0; n],
            teleconsultation_share: vec![0.0; n],
            chronic_priority: vec![false; n],
            junior_under_dense_share: 1.0,
            ..PolicyEffects::default()
        }
    }

    /// The assistant FTE of `gp` in commune `c`: eligible GPs (group practice or MSP) take
    /// up the contract with the lever's probability, by a fixed draw per GP so that those who
    /// take it up keep it from year to year.
    pub fn assistant_fte(&self, c: usize, gp: &super::components::Gp) -> f64 {
        use super::components::PracticeMode;
        let Some(d) = self.delegation.get(c).filter(|d| d.assistant_fte > 0.0) else {
            return 0.0;
        };
        let eligible = matches!(gp.mode, PracticeMode::Group | PracticeMode::Msp);
        let draw = super::rng::unit(super::rng::mix(0xA551_57A7 ^ u64::from(gp.slot)));
        if eligible && draw < f64::from(d.uptake_share) {
            f64::from(d.assistant_fte)
        } else {
            0.0
        }
    }
}

/// The year being simulated.
#[derive(Resource, Debug, Clone, Copy)]
pub struct Clock {
    /// Current year.
    pub year: u16,
}

/// One commune of the simulated territory (static).
#[derive(Debug, Clone)]
pub struct Commune {
    /// INSEE code.
    pub code: String,
    /// Index into [`Communes::departements`].
    pub departement: u16,
    /// Index into [`Communes::regions`].
    pub region: u16,
    /// Population municipale in the data (persons).
    pub population: u32,
    /// Position, km (equirectangular around France's mean latitude).
    pub x_km: f64,
    /// Position, km.
    pub y_km: f64,
    /// In an urban cluster.
    pub urban: bool,
    /// Index into [`Communes::faculties`]: the subdivision of the 3rd cycle covering the
    /// commune's département.
    pub subdivision: u8,
    /// In a big-city area: a faculty town, or an urban-cluster commune within
    /// [`BIG_CITY_RADIUS_KM`] of one (docs/outputs.md).
    pub big_city: bool,
    /// The département's own attractiveness to installing GPs: its constant in the
    /// installation logit (`data/place-attractiveness.csv`, docs/model.md, "Where GPs settle").
    pub attractiveness: f64,
    /// Share of the GP practice addresses within the matching's reach that lie outside the
    /// simulated communes: for a commune of a border ring, the share of its people whose MT
    /// practises beyond the ring, who never seek one among the simulated GPs (0 in the
    /// territory and in a France run; [`super::border::beyond_shares`]).
    pub beyond_share: f32,
}

/// Radius of a big-city area around a faculty town, km: with the urban-cluster communes
/// inside it, the 26 areas hold 33 % of metropolitan people (communes.csv, 2023).
pub const BIG_CITY_RADIUS_KM: f64 = 20.0;

/// A subdivision of the 3rd cycle of medical studies (data/faculties.csv): where
/// general-medicine interns train, around the faculty town (UFR and CHU).
#[derive(Debug, Clone)]
pub struct Faculty {
    /// Subdivision name.
    pub name: String,
    /// Faculty town position, km (same projection as [`Commune::x_km`]).
    pub x_km: f64,
    /// Faculty town position, km.
    pub y_km: f64,
    /// People of the simulated territory living in the subdivision.
    pub population: u64,
}

/// A département or région: code and name.
#[derive(Debug, Clone)]
pub struct Unit {
    /// INSEE code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// The simulated communes with their départements and régions (static).
#[derive(Resource, Debug, Clone)]
pub struct Communes {
    /// Communes, in data order.
    pub communes: Vec<Commune>,
    /// Départements present.
    pub departements: Vec<Unit>,
    /// Région of each département (index into `regions`).
    pub departement_region: Vec<u16>,
    /// Régions present.
    pub regions: Vec<Unit>,
    /// Share of metropolitan France's population living in the simulated communes (the
    /// territory and its border ring): what the national flows (graduates, migrants, MSPs)
    /// are scaled by.
    pub national_share: f64,
    /// Share of each département's population (data) living in its simulated communes: 1
    /// but for a département that the border ring cuts.
    pub departement_population_share: Vec<f64>,
    /// The leading part of these lists that is the requested territory, the rest being its
    /// border ring (docs/model.md, "Sub-national runs").
    pub reported: Reported,
    /// Every metropolitan subdivision of the 3rd cycle, in data order (some may lie outside
    /// the territory: their towns still have a position, their population here is 0).
    pub faculties: Vec<Faculty>,
}

impl Communes {
    /// Straight-line distance between two communes, km.
    pub fn distance_km(&self, a: u16, b: u16) -> f64 {
        let (a, b) = (&self.communes[a as usize], &self.communes[b as usize]);
        ((a.x_km - b.x_km).powi(2) + (a.y_km - b.y_km).powi(2)).sqrt()
    }

    /// Straight-line distance between commune `c` and the town of faculty `f`, km.
    pub fn faculty_km(&self, c: u16, f: u8) -> f64 {
        let (c, f) = (&self.communes[c as usize], &self.faculties[f as usize]);
        ((c.x_km - f.x_km).powi(2) + (c.y_km - f.y_km).powi(2)).sqrt()
    }
}

/// Communes within reach of each commune, nearest first (compressed rows).
#[derive(Resource, Debug, Clone, Default)]
pub struct Reach {
    /// Row starts, one per commune plus one.
    pub offsets: Vec<u32>,
    /// Neighbour commune indices, each row sorted by travel time.
    pub neighbours: Vec<u16>,
    /// Travel time to each neighbour, minutes (parallel to `neighbours`).
    pub minutes: Vec<f32>,
}

impl Reach {
    /// Communes within reach of `c` (itself first), nearest first.
    #[inline]
    pub fn of(&self, c: u16) -> &[u16] {
        let c = c as usize;
        &self.neighbours[self.offsets[c] as usize..self.offsets[c + 1] as usize]
    }

    /// Travel times to the communes of [`Reach::of`], minutes.
    #[inline]
    pub fn minutes_of(&self, c: u16) -> &[f32] {
        let c = c as usize;
        &self.minutes[self.offsets[c] as usize..self.offsets[c + 1] as usize]
    }

    /// Is `b` within reach of `a`?
    pub fn contains(&self, a: u16, b: u16) -> bool {
        self.of(a).contains(&b)
    }
}

/// Per-commune state that changes over time.
#[derive(Resource, Debug, Clone)]
pub struct CommuneState {
    /// In the under-dense zone (either tier: priority or intermediate).
    pub under_dense: Vec<bool>,
    /// In the priority tier of the zone (zone d'intervention prioritaire, ZIP).
    pub priority_zone: Vec<bool>,
    /// APL at the last computation, consultations a year per inhabitant (all GPs).
    pub apl: Vec<f32>,
    /// APL counting only GPs under 65.
    pub apl_under_65: Vec<f32>,
    /// APL counting only GPs under 62.
    pub apl_under_62: Vec<f32>,
    /// Covered by a CPTS.
    pub cpts_covered: Vec<bool>,
    /// Share of 17+ without an MT at the last measure (0–1).
    pub unmet_share: Vec<f32>,
    /// Last year the zoning was computed.
    pub zoning_year: Option<u16>,
}

impl CommuneState {
    /// A blank state for `n` communes: no zone, no CPTS, no APL yet.
    pub fn new(n: usize) -> CommuneState {
        CommuneState {
            under_dense: vec![false; n],
            priority_zone: vec![false; n],
            apl: vec![0.0; n],
            apl_under_65: vec![0.0; n],
            apl_under_62: vec![0.0; n],
            cpts_covered: vec![false; n],
            unmet_share: vec![0.0; n],
            zoning_year: None,
        }
    }
}

/// Why a GP slot is no longer active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotStatus {
    /// Practising.
    Active,
    /// Retired: their patients lose their MT with reason `gp_retired`.
    Retired,
    /// Left practice or their centre closed: reason `gp_left`.
    Left,
}

/// Status of every GP slot ever used, the next free slots, and the key of each slot's random
/// draws.
///
/// Slots are numbered in order of creation, so a lever that adds GPs or structures (a
/// health-centre programme) would renumber everything created after them. Their draws (exit,
/// capacity rounding, MSP formation...) are therefore keyed on a [`DrawKey`] that says who they
/// are (the installer's locum id, the centre's year and rank), not on the slot: the baseline and
/// a policy then draw alike for the same GP (common random numbers).
#[derive(Resource, Debug, Clone, Default)]
pub struct Roster {
    /// Status by GP slot.
    pub status: Vec<SlotStatus>,
    /// Next structure slot.
    pub next_structure: u32,
    /// Draw key by GP slot.
    pub gp_keys: Vec<u64>,
    /// Draw key by structure slot.
    pub structure_keys: Vec<u64>,
}

/// Stable keys for the draws of GPs and structures (see [`Roster`]). Those of the initial
/// state are their slots (below 2³²); the others carry their origin in the top byte, a policy
/// index in the next, and the year, rank and member below bit 40.
pub struct DrawKey;

impl DrawKey {
    /// A GP installed from the locum pool, or the group practice they found.
    pub fn installer(locum_id: u32) -> u64 {
        1 << 56 | u64::from(locum_id)
    }

    /// Member `member` of the `rank`-th structure opened in `year` by `origin` (2: baseline
    /// health centre, 3: health-centre programme `policy`, 4: local service, 5: CPTS).
    pub fn opened(origin: u8, policy: u8, year: u16, rank: u64, member: u8) -> u64 {
        u64::from(origin) << 56
            | u64::from(policy) << 48
            | u64::from(year) << 24
            | (rank & 0xFFFF) << 8
            | u64::from(member)
    }
}

impl Roster {
    /// Reserves a new GP slot whose draws are keyed on `key`.
    pub fn new_gp_slot(&mut self, key: u64) -> u32 {
        self.status.push(SlotStatus::Active);
        self.gp_keys.push(key);
        (self.status.len() - 1) as u32
    }

    /// Reserves a new structure slot whose draws are keyed on `key`.
    pub fn new_structure_slot(&mut self, key: u64) -> u32 {
        self.next_structure += 1;
        self.structure_keys.push(key);
        self.next_structure - 1
    }

    /// Draw key of a GP slot (the slot itself if none was recorded).
    pub fn gp_key(&self, slot: u32) -> u64 {
        self.gp_keys
            .get(slot as usize)
            .copied()
            .unwrap_or(u64::from(slot))
    }

    /// Draw key of a structure slot (the slot itself if none was recorded).
    pub fn structure_key(&self, slot: u32) -> u64 {
        self.structure_keys
            .get(slot as usize)
            .copied()
            .unwrap_or(u64::from(slot))
    }
}

/// Tables derived from the data, read by the processes.
#[derive(Resource, Debug, Clone)]
pub struct Tables {
    /// Life tables: (centre year, male thresholds by age, female thresholds by age).
    pub death_thresholds: Vec<(u16, Vec<u64>, Vec<u64>)>,
    /// Fertility by year: births per woman per year of age for ages 15..=50.
    pub fertility: Vec<(u16, [u64; 36])>,
    /// Primary-care GP graduates by graduation year, national.
    pub graduates: Vec<(u16, f64)>,
    /// Docteurs juniors by year (national).
    pub junior_doctors: Vec<(u16, f64)>,
    /// Chronic (ALD) prevalence thresholds by age 0..=120.
    pub chronic: Vec<u64>,
    /// APL demand weight by age 0..=120 (2018 national mean 1).
    pub apl_age_weights: Vec<f64>,
    /// Expected GP consultations a year of one patient agent by age 0..=120 (see
    /// [`super::workload::demand_table`]).
    pub demand: Vec<[f32; 4]>,
}

impl Tables {
    /// Expected GP consultations a year of one patient agent.
    #[inline]
    pub fn demand_of(&self, p: &super::components::Patient) -> f32 {
        self.demand[usize::from(p.age).min(self.demand.len() - 1)]
            [super::workload::demand_index(p.female(), p.chronic())]
    }
}

impl Tables {
    /// Death thresholds for `year` (nearest table).
    pub fn deaths(&self, year: u16) -> (&[u64], &[u64]) {
        let (_, m, f) = self
            .death_thresholds
            .iter()
            .min_by_key(|(c, _, _)| (*c as i32 - year as i32).abs())
            .expect("tables are built with at least one life table");
        (m, f)
    }

    /// Birth thresholds for women aged 15..=50 in `year` (nearest year).
    pub fn births(&self, year: u16) -> &[u64; 36] {
        &self
            .fertility
            .iter()
            .min_by_key(|(y, _)| (*y as i32 - year as i32).abs())
            .expect("tables are built with fertility rates")
            .1
    }

    /// Value of a yearly series, 0 when absent.
    pub fn series(series: &[(u16, f64)], year: u16) -> f64 {
        series
            .iter()
            .find(|(y, _)| *y == year)
            .map_or(0.0, |(_, v)| *v)
    }
}

/// Each GP slot's médecin-traitant list after this year's matching: its patient agents and
/// their expected consultations a year in fixed point (`workload::to_fixed`). Summed by the
/// matching, in integers, as it links and unlinks patients; read by `measure`.
#[derive(Resource, Debug, Clone, Default)]
pub struct Lists {
    /// Patient agents on each slot's list.
    pub sizes: Vec<u32>,
    /// Expected consultations a year of each slot's list, in fixed point.
    pub workloads: Vec<u64>,
}

/// Flows counted during the year, in agents (patients) or GPs, by département.
#[derive(Resource, Debug, Clone, Default)]
pub struct Flows {
    /// Births.
    pub births: Vec<u64>,
    /// Deaths.
    pub deaths: Vec<u64>,
    /// Net migrants arrived.
    pub migrants: Vec<u64>,
    /// GPs installed (liberal and health centres).
    pub installations: Vec<u64>,
    /// Of them, GPs recruited by a health centre at its opening and retirees staffing a local
    /// service.
    pub salaried_entries: Vec<u64>,
    /// GPs who stopped (all reasons).
    pub exits: Vec<u64>,
    /// GPs who retired.
    pub retirements: Vec<u64>,
    /// Patients aged 17+ who found an MT.
    pub matches: Vec<u64>,
    /// Patients aged 17+ who lost their MT (GP stopped, or moved out of reach).
    pub losses: Vec<u64>,
    /// GPs installed in a commune of the under-dense zone.
    pub installations_under_dense: Vec<u64>,
    /// Liberal GPs who stopped in a commune outside the under-dense zone (the places a
    /// regulated installation may take).
    pub exits_well_served: Vec<u64>,
    /// € spent on policies during the year outside `measure`'s yearly costs (incentives).
    pub policy_cost_eur: Vec<f64>,
    /// GPs installed in the région of their origin commune.
    pub installed_in_origin_region: Vec<u64>,
    /// Straight-line km from origin commune of each GP installed this year (national).
    pub install_km: Vec<f32>,
    /// GPs refused the regulated commune they chose (by its département).
    pub installations_refused: Vec<u64>,
    /// Of them, those who stayed locums to try again next year.
    pub refused_waited: Vec<u64>,
    /// Of them, those who left primary care.
    pub refused_left: Vec<u64>,
}

impl Flows {
    /// Zeroed flows for `n` départements.
    pub fn zeroed(n: usize) -> Flows {
        let z = vec![0; n];
        Flows {
            births: z.clone(),
            deaths: z.clone(),
            migrants: z.clone(),
            installations: z.clone(),
            salaried_entries: z.clone(),
            exits: z.clone(),
            retirements: z.clone(),
            matches: z.clone(),
            losses: z.clone(),
            policy_cost_eur: vec![0.0; n],
            installations_under_dense: z.clone(),
            exits_well_served: z.clone(),
            installed_in_origin_region: z.clone(),
            install_km: Vec::new(),
            installations_refused: z.clone(),
            refused_waited: z.clone(),
            refused_left: z,
        }
    }
}

/// What the France run behind a sub-national run's national flow keeps year by year
/// ([`super::national_flow`]), when the resource is present.
#[derive(Resource, Debug, Clone, Default)]
pub struct FranceRecord {
    /// (year, [(commune, utility)]): the utility every candidate commune offers every
    /// installer ([`super::install_gps`]).
    pub utilities: Vec<(u16, Vec<(u16, f64)>)>,
    /// (year, people per person of the health-centre sites): the population of France over
    /// that of its under-dense communes where centres open ([`super::centre_openings`]).
    pub people_per_site_person: Vec<(u16, f64)>,
    /// (year, (chance of a junior for a supervisor in the under-dense zone, elsewhere))
    /// ([`super::place_juniors`]).
    pub junior_chances: Vec<(u16, (f64, f64))>,
}

/// Where this year's installers settled, by département, kept past `measure`'s reset of
/// [`Flows`] for [`record_installation_places`](super::record_installation_places).
#[derive(Resource, Debug, Clone, Default)]
pub struct InstallationPlaces {
    /// GPs installed in a commune of a big-city area ([`Commune::big_city`]).
    pub big_city: Vec<u64>,
    /// GPs installed by bin of km from their faculty town
    /// ([`Counts::installations_by_faculty_km`](super::Counts::installations_by_faculty_km)).
    pub by_faculty_km: Vec<Vec<u64>>,
}

/// Population-weighted draws of a commune: cumulative persons, by département and overall.
#[derive(Resource, Debug, Clone, Default)]
pub struct Placement {
    /// For each département: (cumulative population, commune index).
    pub by_departement: Vec<Vec<(u64, u16)>>,
    /// The whole territory.
    pub all: Vec<(u64, u16)>,
}

impl Placement {
    /// Builds the tables from static commune populations.
    pub fn new(communes: &Communes) -> Placement {
        let mut by_departement = vec![Vec::new(); communes.departements.len()];
        let mut all = Vec::with_capacity(communes.communes.len());
        let mut total = 0u64;
        for (i, c) in communes.communes.iter().enumerate() {
            if c.population == 0 {
                continue;
            }
            total += c.population as u64;
            all.push((total, i as u16));
            let d: &mut Vec<(u64, u16)> = &mut by_departement[c.departement as usize];
            let prev = d.last().map_or(0, |x| x.0);
            d.push((prev + c.population as u64, i as u16));
        }
        Placement {
            by_departement,
            all,
        }
    }

    /// Draws a commune from a cumulative table with a uniform `u` in [0, 1).
    #[inline]
    pub fn draw(table: &[(u64, u16)], u: f64) -> u16 {
        let total = table.last().map_or(0, |x| x.0);
        let target = (u * total as f64) as u64;
        let i = table.partition_point(|&(cum, _)| cum <= target);
        table[i.min(table.len() - 1)].1
    }
}

/// Next patient id (ids are never reused, so draws never repeat).
#[derive(Resource, Debug, Clone, Copy, Default)]
pub struct PatientIds {
    /// The next id to give.
    pub next: u32,
}

/// The leading part of [`Communes`]' lists that is the requested territory (all of them
/// without a ring).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reported {
    /// Communes of the territory (the first ones of `Communes::communes`).
    pub communes: usize,
    /// Départements of the territory (the first ones of `Communes::departements`).
    pub departements: usize,
    /// Régions of the territory (the first ones of `Communes::regions`).
    pub regions: usize,
    /// Share of metropolitan France's population living in the territory, ring excluded.
    pub national_share: f64,
}
