//! A stored record as a CKAN package: CKAN core fields plus the extras and resource fields
//! of ckanext-dcat's DCAT-AP profile, read through `ldtcat_model::ckan`'s table (simple
//! extras) and `ldtcat_model::describe` (the structured ones). The values that the search
//! filters on (organisation, groups, tags, formats, licence) are the record's summary values,
//! the very ones the index holds, so that a package matches the `fq` that names its values;
//! `metadata_created` / `metadata_modified` are the record's first sighting and last change
//! in this catalogue (what `fq=metadata_modified:[...]` and its sort use), as in CKAN, where
//! they are the times of the catalogue's own record and not of the resource.

use chrono::{DateTime, Utc};
use ldtcat_model::ckan::{self, FieldPlace, KIND_EXTRA, PACKAGE_FIELDS};
use ldtcat_model::describe::{describe, Description, DistributionDescription, Reference};
use ldtcat_model::extract::normalise_format;
use ldtcat_model::summary::{pick_display, RecordSummary};
use ldtcat_model::{record_id, LangString};
use ldtcat_store::StoredRecord;
use serde::Serialize;

use super::names::{
    choose_label, group_id, group_name, is_open_licence, organization_name, tag_id,
};
use crate::state::SiteSettings;

/// A package, as `package_show` answers.
#[derive(Debug, Serialize)]
pub(crate) struct Package {
    pub(crate) id: String,
    pub(crate) name: String,
    title: String,
    notes: String,
    url: Option<String>,
    version: Option<String>,
    author: Option<String>,
    author_email: Option<String>,
    maintainer: Option<String>,
    maintainer_email: Option<String>,
    license_id: Option<String>,
    license_title: Option<String>,
    license_url: Option<String>,
    isopen: bool,
    creator_user_id: Option<String>,
    state: &'static str,
    private: bool,
    r#type: &'static str,
    metadata_created: String,
    metadata_modified: String,
    owner_org: Option<String>,
    organization: Option<Organization>,
    groups: Vec<GroupRef>,
    num_tags: usize,
    tags: Vec<Tag>,
    num_resources: usize,
    pub(crate) resources: Vec<Resource>,
    extras: Vec<Extra>,
    relationships_as_object: [(); 0],
    relationships_as_subject: [(); 0],
}

/// An organisation (a publisher), as packages and `organization_show` give it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Organization {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) display_name: String,
    pub(crate) description: String,
    pub(crate) image_url: String,
    pub(crate) is_organization: bool,
    pub(crate) approval_status: &'static str,
    pub(crate) state: &'static str,
    pub(crate) r#type: &'static str,
}

impl Organization {
    /// The organisation of a publisher name.
    pub(crate) fn of_publisher(publisher: &str, title: String) -> Organization {
        let name = organization_name(publisher);
        Organization {
            id: group_id("organization", &name),
            display_name: title.clone(),
            title,
            name,
            description: String::new(),
            image_url: String::new(),
            is_organization: true,
            approval_status: "approved",
            state: "active",
            r#type: "organization",
        }
    }
}

/// A group (a theme), as packages list them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GroupRef {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) title: String,
    pub(crate) display_name: String,
    pub(crate) description: String,
    pub(crate) image_display_url: String,
}

impl GroupRef {
    /// The group of a theme.
    pub(crate) fn of_theme(theme: &str, title: String) -> GroupRef {
        let name = group_name(theme);
        GroupRef {
            id: group_id("group", &name),
            display_name: title.clone(),
            title,
            name,
            description: String::new(),
            image_display_url: String::new(),
        }
    }
}

#[derive(Debug, Serialize)]
struct Tag {
    id: String,
    name: String,
    display_name: String,
    state: &'static str,
    vocabulary_id: Option<String>,
}

#[derive(Debug, Serialize)]
struct Extra {
    key: String,
    value: String,
}

/// A resource (a distribution): CKAN core's resource columns (those with nothing to hold
/// them are null, as in CKAN) and ckanext-dcat's fields.
#[derive(Debug, Serialize)]
pub(crate) struct Resource {
    pub(crate) id: String,
    package_id: String,
    position: usize,
    state: &'static str,
    url: String,
    url_type: Option<String>,
    resource_type: Option<String>,
    name: Option<String>,
    description: Option<String>,
    format: Option<String>,
    mimetype: Option<String>,
    mimetype_inner: Option<String>,
    size: Option<u64>,
    hash: Option<String>,
    /// When the resource was added to the catalogue: unknown (null) rather than the
    /// record's import time, which a harvester following ckanext-dcat would read back as
    /// `dct:issued`.
    created: Option<String>,
    /// When the data last changed: `dct:modified` of the distribution.
    last_modified: Option<String>,
    /// The record's last change in this catalogue.
    metadata_modified: String,
    cache_url: Option<String>,
    cache_last_updated: Option<String>,
    license: Option<String>,
    rights: Option<String>,
    access_url: Option<String>,
    download_url: Option<String>,
    issued: Option<String>,
    modified: Option<String>,
    uri: String,
}

/// CKAN's timestamp form: UTC without an offset, microseconds.
pub(crate) fn ckan_time(time: &DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// The package of a stored record (read with its statements).
pub(crate) fn package_of(record: &StoredRecord, site: &SiteSettings) -> Package {
    let description = describe(&record.iri, &record.triples);
    let summary = record.summary_unscored();
    let licence = licence_fields(&description, &summary);
    let contact = description.contacts.first();
    let creator = description.creators.first();
    let organization = summary.publishers.first().map(|publisher| {
        let carried = publisher_labels(&description, publisher);
        Organization::of_publisher(publisher, choose_label(publisher, &carried))
    });
    let changed = record
        .modified
        .or(record.issued)
        .as_ref()
        .map(ckan_time)
        .unwrap_or_default();
    let resources = resources_of(&record.id, &description, &summary, &changed);
    let tags = tags_of(&summary);
    Package {
        id: record.id.clone(),
        name: ckan::record_name(&record.iri, &record.id),
        title: summary.display_title().to_owned(),
        notes: summary.display_description().to_owned(),
        url: description.landing_pages.first().cloned(),
        version: description.version.clone(),
        author: creator.and_then(|c| pick_display(&c.reference.labels).map(str::to_owned)),
        author_email: creator.and_then(|c| c.email.clone()),
        maintainer: contact.and_then(|c| c.name.clone().or_else(|| c.organization.clone())),
        maintainer_email: contact.and_then(|c| c.email.clone()),
        isopen: is_open_licence(licence.id.as_deref(), licence.url.as_deref()),
        license_id: licence.id,
        license_title: licence.title,
        license_url: licence.url,
        creator_user_id: None,
        state: "active",
        private: false,
        r#type: "dataset",
        metadata_created: record.issued.as_ref().map(ckan_time).unwrap_or_default(),
        metadata_modified: changed,
        owner_org: organization.as_ref().map(|o| o.id.clone()),
        organization,
        groups: groups_of(&summary, &description),
        num_tags: tags.len(),
        tags,
        num_resources: resources.len(),
        resources,
        extras: extras_of(record, &description, site),
        relationships_as_object: [],
        relationships_as_subject: [],
    }
}

fn publisher_labels(description: &Description, publisher: &str) -> Vec<LangString> {
    description
        .publishers
        .iter()
        .find(|agent| {
            agent.reference.iri.as_deref() == Some(publisher)
                || pick_display(&agent.reference.labels) == Some(publisher)
        })
        .map(|agent| agent.reference.labels.clone())
        .unwrap_or_default()
}

/// The package's licence: id, title and URL.
#[derive(Debug, Default)]
struct LicenceFields {
    id: Option<String>,
    title: Option<String>,
    url: Option<String>,
}

/// The value the `licence` facet holds for a licence (its IRI, or the literal the property
/// held, as `ldtcat_model::extract` reads `dct:license`); `None` for a licence document known
/// only by its labels (a blank node), which the facet does not hold.
fn licence_value(licence: &Reference, facet_values: &[String]) -> Option<String> {
    if let Some(iri) = &licence.iri {
        return Some(iri.clone());
    }
    match licence.labels.as_slice() {
        [literal]
            if facet_values
                .contains(&ldtcat_model::extract::licence_facet_value(&literal.value)) =>
        {
            Some(literal.value.clone())
        }
        _ => None,
    }
}

/// The first licence of the resource, then of its distributions, that the `licence` facet
/// holds: its value is the id (so `fq=license_id:` finds the package by what it shows), its
/// label the title, its IRI the URL. With none, a licence document known only by its titles
/// gives its title alone (no id: nothing could search by it).
fn licence_fields(description: &Description, summary: &RecordSummary) -> LicenceFields {
    let licences = description.all_licences();
    let valued = licences
        .iter()
        .find_map(|licence| Some((*licence, licence_value(licence, &summary.licences)?)));
    if let Some((licence, id)) = valued {
        let carried = if licence.iri.is_some() {
            licence.labels.as_slice()
        } else {
            &[]
        };
        return LicenceFields {
            title: Some(choose_label(&id, carried)),
            url: licence.iri.clone(),
            id: Some(id),
        };
    }
    let titled = licences.iter().find(|licence| !licence.labels.is_empty());
    LicenceFields {
        title: titled.map(|licence| choose_label("", &licence.labels)),
        ..LicenceFields::default()
    }
}

fn groups_of(summary: &RecordSummary, description: &Description) -> Vec<GroupRef> {
    let mut groups: Vec<GroupRef> = Vec::new();
    for theme in &summary.themes {
        let carried = description
            .themes
            .iter()
            .find(|concept| concept.reference.iri.as_deref() == Some(theme.as_str()))
            .map(|concept| concept.reference.labels.clone())
            .unwrap_or_default();
        let group = GroupRef::of_theme(theme, choose_label(theme, &carried));
        if !groups.iter().any(|g| g.name == group.name) {
            groups.push(group);
        }
    }
    groups
}

fn tags_of(summary: &RecordSummary) -> Vec<Tag> {
    let mut names: Vec<&str> = summary.keywords.iter().map(|k| k.value.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| Tag {
            id: tag_id(name),
            name: name.to_owned(),
            display_name: name.to_owned(),
            state: "active",
            vocabulary_id: None,
        })
        .collect()
}

/// A resource id: the record id, then a hash of the distribution's IRI (or of its position
/// when it has none), so that `resource_show` finds the package from the id alone.
pub(crate) fn resource_id(
    record_id_text: &str,
    distribution: &DistributionDescription,
    position: usize,
) -> String {
    let key = match &distribution.iri {
        Some(iri) => iri.clone(),
        None => format!("{record_id_text}#distribution-{position}"),
    };
    format!("{record_id_text}-{}", &record_id(&key)[..12])
}

fn resources_of(
    package_id: &str,
    description: &Description,
    summary: &RecordSummary,
    changed: &str,
) -> Vec<Resource> {
    description
        .distributions
        .iter()
        .enumerate()
        .map(|(position, distribution)| {
            let download = distribution.download_urls.first().cloned();
            let access = distribution.access_urls.first().cloned();
            let format = distribution
                .format
                .as_deref()
                .or(distribution.media_type.as_deref())
                .map(normalise_format);
            let media_type = [
                distribution.media_type.as_deref(),
                distribution.format.as_deref(),
            ]
            .into_iter()
            .flatten()
            .map(normalise_format)
            .find(|value| value.contains('/'));
            Resource {
                id: resource_id(package_id, distribution, position),
                package_id: package_id.to_owned(),
                position,
                state: "active",
                url: download
                    .clone()
                    .or_else(|| access.clone())
                    .unwrap_or_default(),
                url_type: None,
                resource_type: None,
                name: pick_display(&distribution.titles).map(str::to_owned),
                description: pick_display(&distribution.descriptions).map(str::to_owned),
                format,
                mimetype: media_type,
                mimetype_inner: None,
                size: distribution.byte_size,
                hash: None,
                created: None,
                last_modified: distribution.modified.clone(),
                metadata_modified: changed.to_owned(),
                cache_url: None,
                cache_last_updated: None,
                license: distribution
                    .licence
                    .as_ref()
                    .and_then(|licence| licence_value(licence, &summary.licences)),
                rights: distribution.rights.as_ref().and_then(reference_value),
                access_url: access,
                download_url: download,
                issued: distribution.issued.clone(),
                modified: distribution.modified.clone(),
                uri: distribution.iri.clone().unwrap_or_default(),
            }
        })
        .collect()
}

fn reference_value(reference: &Reference) -> Option<String> {
    reference
        .iri
        .clone()
        .or_else(|| pick_display(&reference.labels).map(str::to_owned))
}

/// The extras, sorted by key as CKAN sorts them.
fn extras_of(record: &StoredRecord, description: &Description, site: &SiteSettings) -> Vec<Extra> {
    let mut extras: Vec<(String, String)> = Vec::new();
    let mut add = |key: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            extras.push((key.to_owned(), value));
        }
    };
    for mapping in PACKAGE_FIELDS {
        let values = ckan::field_values(&record.triples, &record.iri, mapping);
        match mapping.place {
            FieldPlace::Core => {}
            FieldPlace::Extra => add(mapping.key, values.into_iter().next()),
            FieldPlace::ExtraList if !values.is_empty() => {
                add(mapping.key, serde_json::to_string(&values).ok());
            }
            FieldPlace::ExtraList => {}
        }
    }
    add("uri", Some(record.iri.clone()));
    add(KIND_EXTRA, Some(record.kind.as_str().to_owned()));
    if let Some(contact) = description.contacts.first() {
        add("contact_uri", contact.iri.clone());
        add(
            "contact_name",
            contact
                .name
                .clone()
                .or_else(|| contact.organization.clone()),
        );
        add("contact_email", contact.email.clone());
    }
    if let Some(publisher) = description.publishers.first() {
        add("publisher_uri", publisher.reference.iri.clone());
        add(
            "publisher_name",
            pick_display(&publisher.reference.labels).map(str::to_owned),
        );
        add("publisher_email", publisher.email.clone());
        add("publisher_url", publisher.homepage.clone());
    }
    if let Some(period) = description.temporal.first() {
        add("temporal_start", period.start.clone());
        add("temporal_end", period.end.clone());
    }
    if let Some(place) = description.spatial.first() {
        add("spatial_uri", place.reference.iri.clone());
        add(
            "spatial_text",
            pick_display(&place.reference.labels).map(str::to_owned),
        );
        add("spatial", super::spatial::geojson_of(place));
    }
    add(
        "ldtcat_page",
        Some(site.absolute_url(&format!("/resources/{}", record.id))),
    );
    add(
        "ldtcat_rdf",
        Some(site.absolute_url(&format!("/resources/{}.ttl", record.id))),
    );
    extras.sort();
    extras
        .into_iter()
        .map(|(key, value)| Extra { key, value })
        .collect()
}
