//! Which EU file types count as machine-readable and as non-proprietary for the MQA
//! indicators, kept as data in `vocab/quality-formats.tsv` (one row per code of
//! `vocab/authority/file-types.tsv`).

use std::collections::HashMap;
use std::sync::OnceLock;

const FORMATS_TSV: &str = include_str!("../../../../vocab/quality-formats.tsv");

/// The two properties of a file type the score reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormatTraits {
    /// Software can read the content's structure (tables, trees, graphs, features).
    pub machine_readable: bool,
    /// An open specification, free to implement.
    pub non_proprietary: bool,
}

/// The traits of an EU file-type code (`CSV`), if the table lists it.
pub fn format_traits(code: &str) -> Option<FormatTraits> {
    static TABLE: OnceLock<HashMap<String, FormatTraits>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        FORMATS_TSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut columns = line.split('\t');
                let code = columns.next()?.trim();
                let machine_readable = columns.next()? == "yes";
                let non_proprietary = columns.next()? == "yes";
                Some((
                    code.to_ascii_uppercase(),
                    FormatTraits {
                        machine_readable,
                        non_proprietary,
                    },
                ))
            })
            .collect()
    });
    table.get(&code.to_ascii_uppercase()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ldtcat_vocab::authority::authority;

    #[test]
    fn every_eu_file_type_has_traits() {
        let file_types = include_str!("../../../../vocab/authority/file-types.tsv");
        let missing: Vec<&str> = file_types
            .lines()
            .skip(1)
            .filter_map(|line| line.split('\t').next())
            .filter(|code| authority().file_type(code).is_none() || format_traits(code).is_none())
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
        assert!(format_traits("csv").is_some_and(|t| t.machine_readable && t.non_proprietary));
        assert!(format_traits("XLSX").is_some_and(|t| t.machine_readable && !t.non_proprietary));
    }
}
