//! The SLURM scripts of `medesert sweep --emit-slurm`: a job array with one task per shard,
//! a merge, and a script submitting both. Every path is single-quoted for the shell, so a
//! folder named `a"$(touch PWNED)"b` or `my runs` reaches medesert as written and runs nothing.

use std::path::Path;

/// Absolute paths the scripts name.
#[derive(Debug, Clone, Copy)]
pub struct Paths<'a> {
    /// The medesert binary.
    pub exe: &'a Path,
    /// The sweep file.
    pub sweep: &'a Path,
    /// The data folder.
    pub data: &'a Path,
    /// The output folder (shards, merged folder and `slurm/` go inside).
    pub out: &'a Path,
}

/// `s` as one shell word: inside single quotes, where nothing is special, a `'` written as
/// `'\''` (close the quotes, an escaped quote, reopen).
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn q(p: &Path) -> String {
    shell_quote(&p.to_string_lossy())
}

/// `sweep.sbatch`, `merge.sbatch` and `submit.sh` for a sweep named `name` (letters, digits,
/// `-_.`: checked when the sweep file is read) of `runs` runs in `shards` shards.
pub fn scripts(name: &str, runs: u64, shards: u64, p: Paths) -> [(&'static str, String); 3] {
    let n = shards;
    let out = p.out.to_string_lossy();
    let shard = format!(
        "{}\"/shard-${{SLURM_ARRAY_TASK_ID}}-of-{n}\"",
        shell_quote(&out)
    );
    // Paths go on command lines only, never in `#SBATCH` lines or comments (which the shell
    // does not unquote): the log files are given to sbatch in submit.sh instead.
    let array = format!(
        "#!/bin/bash\n\
         # medesert sweep {name}: one SLURM array task per shard ({n} shards, {runs} runs).\n\
         #SBATCH --job-name=medesert-{name}\n\
         #SBATCH --array=1-{n}\n\
         #SBATCH --ntasks=1\n\
         set -euo pipefail\n\
         {exe} sweep {file} --quiet --data {data} \\\n  --shard \"${{SLURM_ARRAY_TASK_ID}}/{n}\" \\\n  --out {shard} \\\n  --threads \"${{SLURM_CPUS_PER_TASK:-1}}\"\n",
        exe = q(p.exe),
        file = q(p.sweep),
        data = q(p.data),
    );
    let merge = format!(
        "#!/bin/bash\n\
         # Merges the {n} shards of medesert sweep {name} into the folder merged/.\n\
         #SBATCH --job-name=medesert-{name}-merge\n\
         #SBATCH --ntasks=1\n\
         set -euo pipefail\n\
         {exe} sweep-merge {shards} --out {merged}\n",
        exe = q(p.exe),
        merged = shell_quote(&format!("{out}/merged")),
        shards = (1..=n)
            .map(|i| shell_quote(&format!("{out}/shard-{i}-of-{n}")))
            .collect::<Vec<_>>()
            .join(" "),
    );
    let slurm = shell_quote(&format!("{out}/slurm"));
    let submit = format!(
        "#!/bin/bash\n\
         # Submits the array, then the merge once every shard succeeded.\n\
         set -euo pipefail\n\
         cd {slurm}\n\
         job=$(sbatch --parsable --output={array_log} sweep.sbatch)\n\
         sbatch --parsable --output={merge_log} --dependency=afterok:${{job%%;*}} merge.sbatch\n",
        array_log = shell_quote(&format!("{out}/slurm/shard-%a.log")),
        merge_log = shell_quote(&format!("{out}/slurm/merge.log")),
    );
    [
        ("sweep.sbatch", array),
        ("merge.sbatch", merge),
        ("submit.sh", submit),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What bash makes of `word` (run through `printf %s`).
    fn unquoted(word: &str) -> String {
        let out = std::process::Command::new("bash")
            .args(["-c", &format!("printf %s {word}")])
            .output()
            .expect("bash runs");
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn a_quoted_word_reaches_the_command_as_written() {
        for s in [
            "plain",
            "with space",
            "it's",
            "a\"$(touch PWNED)\"b",
            "'$HOME' `id` \\ ; & | * ?",
            "",
            "line\nbreak",
        ] {
            assert_eq!(unquoted(&shell_quote(s)), s, "{s:?}");
        }
    }
}
