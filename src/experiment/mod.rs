//! Experiments over many runs: designs of parameter sweeps, their runs (in parallel,
//! resumable, shardable) and sensitivity indices. Independent runs go in parallel with rayon;
//! each run's results depend only on its scenario and seed.

pub mod calibrate;
pub mod compare;
pub mod design;
pub mod effects;
pub mod ensemble;
pub mod finish;
pub mod folder;
pub mod limits;
pub mod per_year;
pub mod places;
pub mod replicates;
pub mod results;
pub mod runner;
pub mod runs;
pub mod sensitivity;
pub mod slurm;
pub mod sweep;
