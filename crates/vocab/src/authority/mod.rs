//! The vendored authority tables: the EU Publications Office's data themes, file types,
//! licences, languages, countries, frequencies and access rights, plus the SPDX licence
//! list and the labels of the ldtcat vocabulary, kept as data in `vocab/authority/*.tsv`
//! (embedded at compile time; `vocab/authority/README.md` says where each comes from).
//!
//! [`authority`] loads them once. [`AuthorityTables::labels_of`] answers "what is this IRI
//! called", in every language the table has; [`AuthorityTables::file_type`] and
//! [`AuthorityTables::licence`] give the normalised entry of a format or licence, for the
//! pages and for metadata-quality work. Nothing here is fetched at run time.

mod iri;
mod tables;

use std::sync::OnceLock;

pub use iri::AuthorityRef;
pub use tables::{AuthorityTables, FileType, Licence, TableEntry};

/// The tables shipped with ldtcat, loaded on first use.
pub fn authority() -> &'static AuthorityTables {
    static TABLES: OnceLock<AuthorityTables> = OnceLock::new();
    TABLES.get_or_init(AuthorityTables::builtin)
}

/// The raw TSV files, by name, as embedded.
pub(crate) mod files {
    pub const DATA_THEMES: &str = include_str!("../../../../vocab/authority/data-themes.tsv");
    pub const FILE_TYPES: &str = include_str!("../../../../vocab/authority/file-types.tsv");
    pub const LICENCES: &str = include_str!("../../../../vocab/authority/licences.tsv");
    pub const SPDX_LICENCES: &str = include_str!("../../../../vocab/authority/spdx-licences.tsv");
    pub const LANGUAGES: &str = include_str!("../../../../vocab/authority/languages.tsv");
    pub const COUNTRIES: &str = include_str!("../../../../vocab/authority/countries.tsv");
    pub const FREQUENCIES: &str = include_str!("../../../../vocab/authority/frequencies.tsv");
    pub const ACCESS_RIGHTS: &str = include_str!("../../../../vocab/authority/access-rights.tsv");
}
