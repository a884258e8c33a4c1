//! Components: the state of patients, GPs and structures (MODEL.md §2).

use std::collections::HashMap;

use bevy_ecs::prelude::*;

use crate::scenario::policy::{Operator, Payment};

/// No GP: the value of [`Patient::gp`] for a patient without a médecin traitant.
pub const NO_GP: u32 = u32::MAX;

/// Why a patient has no médecin traitant (MT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Reason {
    /// Never declared one and not looking (CNAM: never declared).
    NeverDeclared = 0,
    /// Looked for a first MT and found no GP with room within reach (CNAM: never declared).
    NoGpWithRoomInReach = 1,
    /// Their MT retired (CNAM: lost).
    GpRetired = 2,
    /// Their MT left practice before retirement age or their centre closed (CNAM: lost).
    GpLeft = 3,
    /// They moved out of reach of their MT (CNAM: still declared, since CNAM keeps a
    /// mover's declaration; neither lost nor never declared).
    Moved = 4,
    /// Their MT released them: the list's expected consultations went above what the GP
    /// offers it (reduced activity, a docteur junior gone, an ageing list) (CNAM: lost).
    GpReducedActivity = 5,
}

impl Reason {
    /// Every reason, in column order.
    pub const ALL: [Reason; Reason::COUNT] = [
        Reason::NeverDeclared,
        Reason::NoGpWithRoomInReach,
        Reason::GpRetired,
        Reason::GpLeft,
        Reason::Moved,
        Reason::GpReducedActivity,
    ];

    /// How many reasons there are.
    pub const COUNT: usize = 6;

    /// The code name used in output columns.
    pub fn code(self) -> &'static str {
        match self {
            Reason::NeverDeclared => "never_declared",
            Reason::NoGpWithRoomInReach => "no_gp_with_room_in_reach",
            Reason::GpRetired => "gp_retired",
            Reason::GpLeft => "gp_left",
            Reason::Moved => "moved",
            Reason::GpReducedActivity => "gp_reduced_activity",
        }
    }

    /// True for the reasons CNAM counts as "lost their MT": the MT retired, left or released
    /// them. `Moved` is not one: CNAM keeps a mover's declaration until they declare another GP.
    pub fn is_lost(self) -> bool {
        matches!(
            self,
            Reason::GpRetired | Reason::GpLeft | Reason::GpReducedActivity
        )
    }

    /// True for the reasons CNAM counts as "never declared a GP".
    pub fn is_never_declared(self) -> bool {
        matches!(self, Reason::NeverDeclared | Reason::NoGpWithRoomInReach)
    }

    fn from_u8(v: u8) -> Reason {
        Reason::ALL[v as usize % Reason::COUNT]
    }
}

/// Bit flags of [`Patient::flags`].
pub mod flags {
    /// The agent is alive (dead slots are reused for newborns and migrants).
    pub const ALIVE: u8 = 1;
    /// Female.
    pub const FEMALE: u8 = 2;
    /// Chronic condition (affection de longue durée, ALD).
    pub const CHRONIC: u8 = 4;
    /// Turned 17 or arrived this year: makes the first declaration decision.
    pub const ENTRY: u8 = 8;
}

/// A patient agent (represents `persons_per_agent` people), packed in 16 bytes.
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patient {
    /// Stable id, keys this patient's random draws.
    pub id: u32,
    /// Slot of the médecin traitant, or [`NO_GP`].
    pub gp: u32,
    /// Index of the home commune in [`super::Communes`].
    pub commune: u16,
    /// Age in completed years on 1 January.
    pub age: u8,
    /// [`flags`] bits.
    pub flags: u8,
    reason: u8,
}

impl Patient {
    /// A new patient without an MT (never declared), alive.
    pub fn new(id: u32, commune: u16, age: u8, female: bool) -> Patient {
        let sex = if female { flags::FEMALE } else { 0 };
        Patient {
            id,
            gp: NO_GP,
            commune,
            age,
            flags: flags::ALIVE | sex,
            reason: 0,
        }
    }

    /// Alive?
    #[inline]
    pub fn alive(&self) -> bool {
        self.flags & flags::ALIVE != 0
    }

    /// Female?
    #[inline]
    pub fn female(&self) -> bool {
        self.flags & flags::FEMALE != 0
    }

    /// Chronic (ALD)?
    #[inline]
    pub fn chronic(&self) -> bool {
        self.flags & flags::CHRONIC != 0
    }

    /// Sets or clears a flag.
    #[inline]
    pub fn set_flag(&mut self, flag: u8, on: bool) {
        if on {
            self.flags |= flag
        } else {
            self.flags &= !flag
        }
    }

    /// Why the patient has no MT (meaningful only when `gp == NO_GP`).
    #[inline]
    pub fn reason(&self) -> Reason {
        Reason::from_u8(self.reason)
    }

    /// Drops the MT link, recording why.
    #[inline]
    pub fn lose_gp(&mut self, reason: Reason) {
        self.gp = NO_GP;
        self.reason = reason as u8;
    }

    /// Records why a patient without an MT still has none.
    #[inline]
    pub fn set_reason(&mut self, reason: Reason) {
        self.reason = reason as u8;
    }
}

/// How a GP practises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PracticeMode {
    /// Alone (exercice isolé).
    Isolated,
    /// In a group practice (cabinet de groupe).
    Group,
    /// In a maison de santé pluriprofessionnelle.
    Msp,
    /// Salaried in a health centre (centre de santé, CDS).
    HealthCentre,
    /// Drawing a pension and still practising (cumul emploi-retraite), reduced capacity.
    WorkingRetiree,
}

impl PracticeMode {
    /// Every mode, in column order.
    pub const ALL: [PracticeMode; 5] = [
        PracticeMode::Isolated,
        PracticeMode::Group,
        PracticeMode::Msp,
        PracticeMode::HealthCentre,
        PracticeMode::WorkingRetiree,
    ];

    /// Liberal (self-employed) modes: all but health-centre employees.
    pub fn is_liberal(self) -> bool {
        self != PracticeMode::HealthCentre
    }
}

/// No structure: the value of [`Gp::structure`] for a GP outside any.
pub const NO_STRUCTURE: u32 = u32::MAX;

/// A primary-care GP who can be a médecin traitant (one agent per doctor).
#[derive(Component, Debug, Clone, PartialEq)]
pub struct Gp {
    /// Stable slot: patients refer to their GP by it.
    pub slot: u32,
    /// Age in completed years.
    pub age: u8,
    /// Female?
    pub female: bool,
    /// Practice mode.
    pub mode: PracticeMode,
    /// Commune index.
    pub commune: u16,
    /// Slot of the structure (group practice, MSP, centre) or [`NO_STRUCTURE`].
    pub structure: u32,
    /// Own activity level relative to the mean GP of the same sex and cohort (mean 1).
    pub activity: f32,
    /// Consultations this year of the docteurs juniors the GP supervises.
    pub junior_acts: f32,
    /// Consultations a year of the interns of the GP's local service (the Laval model).
    pub intern_acts: f32,
    /// The acceptance threshold set by the latest matching, consultations a year (0 before the
    /// first): the next matching releases patients only if the new one is lower, and
    /// `measure` reads the year's from it.
    pub list_threshold: f32,
    /// Year of installation.
    pub year_installed: u16,
    /// Commune of origin (birth commune proxy).
    pub origin_commune: u16,
}

/// GPs per structure slot (GPs outside any structure are not counted).
pub fn members_by_structure<'a>(gps: impl IntoIterator<Item = &'a Gp>) -> HashMap<u32, u32> {
    let mut members = HashMap::new();
    for gp in gps {
        if gp.structure != NO_STRUCTURE {
            *members.entry(gp.structure).or_default() += 1;
        }
    }
    members
}

/// A liberal GP practising without another GP: isolated, or the last member of a group
/// practice or MSP (DREES counts group practice as practising with another GP). Working
/// retirees and health-centre employees are left out: they do not change practice.
pub fn solo(gp: &Gp, members: &HashMap<u32, u32>) -> bool {
    matches!(
        gp.mode,
        PracticeMode::Isolated | PracticeMode::Group | PracticeMode::Msp
    ) && (gp.structure == NO_STRUCTURE || members.get(&gp.structure).copied().unwrap_or(0) <= 1)
}

/// An MSP founded by a territorial project of the `msp_funding` lever: its ACI and start-up
/// grant are the lever's cost (the baseline's MSPs are not).
#[derive(Component, Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundedMsp;

/// The kind of a care structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StructureKind {
    /// Group practice of liberal GPs.
    GroupPractice,
    /// Maison de santé pluriprofessionnelle.
    Msp,
    /// Centre de santé (salaried GPs), with a budget.
    HealthCentre,
    /// Communauté professionnelle territoriale de santé, covering communes.
    Cpts,
    /// Local medical service of retired GPs and interns (the Laval model), funded by the
    /// `working_retirees` lever; closes when the lever stops.
    LocalService,
}

/// A care structure.
#[derive(Component, Debug, Clone, PartialEq)]
pub struct Structure {
    /// Stable slot.
    pub slot: u32,
    /// Kind.
    pub kind: StructureKind,
    /// Commune (for a CPTS: its seed commune).
    pub commune: u16,
    /// Year opened (or became an MSP).
    pub opened: u16,
    /// A partner health professional is present (MSP eligibility).
    pub has_partner: bool,
}

/// Budget of a health centre (CDS): who runs it and how it is paid, what is drawn once about
/// it, and its last yearly account (`centre_account`).
#[derive(Component, Debug, Clone, PartialEq)]
pub struct CentreBudget {
    /// Who runs it (sets its overheads and the cover it can give).
    pub operator: Operator,
    /// Fee for service, or capitation per enrolled patient (PEPS).
    pub payment: Payment,
    /// The CNAM pays the Teulade subsidy on its practitioners' salaries.
    pub teulade: bool,
    /// Its productivity's standard-normal draw: acts per FTE are the IGAS mean ×
    /// exp(`health_centre_productivity_log_sd` × this).
    pub productivity_z: f64,
    /// Share of its patients in precarity (C2S, AME), drawn at opening.
    pub precarity_share: f64,
    /// Its operator covers its deficits (drawn at opening, with the operator's probability).
    pub covered: bool,
    /// Consecutive years of uncovered deficit above the threshold.
    pub deficit_years: u8,
    /// The health-centre programme (index in the scenario's policies) that opened it, whose
    /// deficit cover applies while the programme is in force.
    pub programme: Option<u16>,
    /// Last year's deficit, share of costs (0 when in surplus).
    pub deficit_share: f64,
    /// Last year's costs per GP, € (to value the deficit a programme covers).
    pub cost_per_gp_eur: f64,
}
