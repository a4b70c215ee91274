//! The DCAT-AP 3 face of the catalogue, for machines and peer catalogues.
//!
//! - `/catalog` (`.ttl`, `.jsonld`, `.rdf`, `.nt`, or by `Accept`): this catalogue as a
//!   `dcat:Catalog`, its records page by page in a stable order (record id), with Hydra paging
//!   in both vocabularies harvesters read: `hydra:PartialCollectionView` (`first`, `previous`,
//!   `next`, `last`) and the legacy `hydra:PagedCollection` (`firstPage`, `nextPage`, ...,
//!   `totalItems`, `itemsPerPage`), as ckanext-dcat, piveau and udata page it. It takes the
//!   search parameters (`q`, `kind`, `theme`, ...), `modified_since`, `page` and `page_size`.
//! - `/resources/{id}` in an RDF syntax: the record's statements as harvested (resource IRI
//!   kept, nothing dropped) and its `dcat:CatalogRecord` naming the sources.
//!
//! - `/feed`: the change feed, a Linked Data Event Stream (see the `feed` module).
//!
//! Every CatalogRecord published names where the record entered the federation
//! (`ldt:originCatalogue`) and how many harvests away that is (`ldt:hops`); records that
//! entered here name this catalogue, 0 hops.
//!
//! Links are absolute, built from the configured public base URL.

mod catalog;
mod document;
mod feed;

pub(crate) use catalog::catalog;
pub(crate) use document::{alternate_links, rdf_response, record_document, RdfSyntax, WithQuality};
pub(crate) use feed::feed;
