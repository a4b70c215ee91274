//! The performance suite: `scripts/perf.sh` runs [`suite::run`] for each N and writes the
//! report.
//!
//! - [`shapes`] reads the size distribution of real catalogues (the shared Antwerp and
//!   Statbel exports), and [`generate`] writes N synthetic multilingual DCAT-AP datasets with
//!   that distribution, as page files;
//! - [`source`] serves the pages over loopback HTTP with Hydra links, as a harvested
//!   catalogue would;
//! - [`process`] runs the real `ldtcat` binary (harvest, serve) and reads its peak memory;
//! - [`load`] is the load generator (concurrent clients, latencies);
//! - [`limits`] measures the raw limits on the same data (oxttl parsing, Oxigraph's bulk
//!   loader, Tantivy indexing), and [`peers`] the engines other catalogues use (rdflib,
//!   Virtuoso), through the Python drivers in `tests/perf/`;
//! - [`profile`] summarises a `perf record` of the ingest by component;
//! - [`report`] holds the figures and the targets and writes Markdown, CSV and JSON.

pub mod generate;
pub mod limits;
pub mod load;
pub mod peers;
pub mod process;
pub mod profile;
pub mod report;
pub mod shapes;
pub mod source;
pub mod suite;
