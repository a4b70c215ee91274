//! Property tests of the configuration reader: the commented examples of every source kind,
//! mutated line by line and byte by byte, and generated TOML. Whatever the file: no panic,
//! no hang, and an error names the file (and, past the syntax, the source and the key).

use std::path::Path;
use std::time::{Duration, Instant};

use ldtcat_config::load_harvest_file;
use proptest::prelude::*;

/// The examples shipped in `harvest-config/examples/`.
fn examples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../harvest-config/examples");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .expect("harvest-config/examples")
        .map(|entry| std::fs::read_to_string(entry.expect("entry").path()).expect("reads"))
        .collect();
    texts.sort();
    texts
}

/// Lines worth inserting: keys of every level, values of the wrong type, broken syntax.
const LINES: &[&str] = &[
    "[[source]]",
    "[source.options]",
    "[source.schedule]",
    "id = \"x\"",
    "id = \"\"",
    "id = 3",
    "kind = \"peer\"",
    "kind = \"gopher\"",
    "url = \"not a url\"",
    "url = \"ftp://example.org/\"",
    "url = \"http://[::1\"",
    "schedule = \"* * * * * *\"",
    "schedule = \"61 99 * * * *\"",
    "enabled = \"yes\"",
    "max_pages = -1",
    "max_pages = 99999999999999999999",
    "max_bytes = 0",
    "timeout_seconds = 1e400",
    "run_timeout_seconds = nan",
    "delay_ms = inf",
    "format = \"text/x-unknown\"",
    "auth_header = \"${LDTCAT_NO_SUCH_VARIABLE}\"",
    "auth_header = \"${X:-default}\"",
    "query = \"\"\"SELECT {limit} {offset}\"\"\"",
    "unknown_key = 1",
    "= 1",
    "[",
    "\"",
    "a.b.c.d.e = 1",
    "x = [[[[[[[[1]]]]]]]]",
    "\u{0}",
    "id = \"\u{202e}\"",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_configurations_never_panic_and_errors_name_the_file(
        example in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..LINES.len(), any::<bool>()), 1..8),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let examples = examples();
        let text = &examples[example.index(examples.len())];
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for (at, line, replace) in edits {
            let at = at.index(lines.len().max(1)).min(lines.len());
            if replace && at < lines.len() {
                lines[at] = LINES[line].to_owned();
            } else {
                lines.insert(at, LINES[line].to_owned());
            }
        }
        let mut mutated = lines.join("\n");
        if let Some(cut) = cut {
            let at = cut.index(mutated.len().max(1));
            let at = (0..=at).rev().find(|i| mutated.is_char_boundary(*i)).unwrap_or(0);
            mutated.truncate(at);
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("sources.toml");
        std::fs::write(&file, &mutated).expect("writes");
        let started = Instant::now();
        let loaded = load_harvest_file(&file);
        prop_assert!(started.elapsed() < Duration::from_secs(2));
        if let Err(error) = loaded {
            let message = error.to_string();
            prop_assert!(message.contains("sources.toml"), "{message}");
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("sources.toml");
        std::fs::write(&file, &bytes).expect("writes");
        if let Err(error) = load_harvest_file(&file) {
            prop_assert!(error.to_string().contains("sources.toml"));
        }
    }
}
