//! Calibration: history matching in waves with Gaussian-process emulators, on any model that
//! maps parameter sets to runs of its targets (the simulation through the sweep engine, or a
//! closed-form test model).

pub mod emulator;
pub mod history;
