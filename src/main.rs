//! The `medesert` binary: parse the command line, run, print the error chain on failure.

use clap::Parser;

fn main() {
    let cli = medesert::cli::Cli::parse();
    if let Err(error) = medesert::app::main(cli) {
        eprintln!("error: {error}");
        for cause in error.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        std::process::exit(1);
    }
}
