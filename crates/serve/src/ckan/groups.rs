//! Organisations (publishers), groups (themes), tags (keywords) and licences, read from the
//! index's facet values over the whole catalogue: `organization_list` / `_show`,
//! `group_list` / `_show`, `tag_list`, `license_list`.

use ldtcat_index::{CatalogIndex, FacetCount, FacetField};
use serde::Serialize;
use serde_json::{json, Value};

use super::data::DataDict;
use super::envelope::CkanError;
use super::names::{choose_label, group_name, organization_name, tag_id};
use super::package::{GroupRef, Organization};

/// CKAN's `ckan.group_and_organization_list_max` and `..._all_fields_max`.
const LIST_MAX: u64 = 1000;
const LIST_ALL_FIELDS_MAX: u64 = 25;

/// Whether an organisation or a group is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupKind {
    /// A publisher.
    Organization,
    /// A theme.
    Group,
}

impl GroupKind {
    fn facet(self) -> FacetField {
        match self {
            GroupKind::Organization => FacetField::Publisher,
            GroupKind::Group => FacetField::Theme,
        }
    }

    fn name_of(self, value: &str) -> String {
        match self {
            GroupKind::Organization => organization_name(value),
            GroupKind::Group => group_name(value),
        }
    }
}

/// One organisation or group: its name, the facet values it gathers, its record count.
#[derive(Debug, Clone)]
pub(crate) struct Gathered {
    pub(crate) name: String,
    pub(crate) values: Vec<String>,
    pub(crate) package_count: u64,
}

/// Every organisation or group of the catalogue, by name.
pub(crate) fn gather(index: &CatalogIndex, kind: GroupKind) -> Result<Vec<Gathered>, CkanError> {
    let counts: Vec<FacetCount> = index
        .facet_counts(kind.facet())
        .map_err(|e| CkanError::Internal(e.into()))?;
    let mut gathered: Vec<Gathered> = Vec::new();
    for count in counts {
        let name = kind.name_of(&count.value);
        match gathered.iter_mut().find(|g| g.name == name) {
            Some(group) => {
                group.values.push(count.value);
                group.package_count += count.count;
            }
            None => gathered.push(Gathered {
                name,
                values: vec![count.value],
                package_count: count.count,
            }),
        }
    }
    gathered.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(gathered)
}

/// The dictionary of one organisation or group, as `_show` and `_list?all_fields` give it.
#[derive(Debug, Serialize)]
pub(crate) struct GroupDict {
    #[serde(flatten)]
    core: Value,
    package_count: u64,
    num_followers: u64,
    extras: Vec<Value>,
    users: Vec<Value>,
    groups: Vec<Value>,
    tags: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) packages: Option<Vec<Value>>,
}

pub(crate) fn group_dict(kind: GroupKind, group: &Gathered) -> GroupDict {
    let first = group.values.first().map(String::as_str).unwrap_or_default();
    let title = choose_label(first, &[]);
    let core = match kind {
        GroupKind::Organization => serde_json::to_value(Organization::of_publisher(first, title)),
        GroupKind::Group => {
            let group_ref = GroupRef::of_theme(first, title);
            serde_json::to_value(&group_ref).map(|mut value| {
                value["is_organization"] = json!(false);
                value["type"] = json!("group");
                value["state"] = json!("active");
                value["approval_status"] = json!("approved");
                value
            })
        }
    };
    let extras = match kind {
        GroupKind::Group => vec![
            json!({"key": "theme", "value": serde_json::to_string(&group.values).unwrap_or_default()}),
        ],
        GroupKind::Organization => {
            vec![json!({"key": "publisher_name", "value": group.values.join(", ")})]
        }
    };
    GroupDict {
        core: core.unwrap_or(Value::Null),
        package_count: group.package_count,
        num_followers: 0,
        extras,
        users: Vec::new(),
        groups: Vec::new(),
        tags: Vec::new(),
        packages: None,
    }
}

/// `organization_list` / `group_list`: names (or dictionaries with `all_fields`), sorted by
/// `sort` (`title asc`, the default, `name`, `package_count desc`), filtered by `q`,
/// `organizations` / `groups`, paged by `limit` and `offset`.
pub(crate) fn list(
    index: &CatalogIndex,
    kind: GroupKind,
    data: &DataDict,
) -> Result<Value, CkanError> {
    let all_fields = data.boolean("all_fields")?.unwrap_or(false);
    let max = if all_fields {
        LIST_ALL_FIELDS_MAX
    } else {
        LIST_MAX
    };
    let limit = data.natural("limit")?.unwrap_or(max).min(max);
    let offset = data.natural("offset")?.unwrap_or(0);
    let only_key = match kind {
        GroupKind::Organization => "organizations",
        GroupKind::Group => "groups",
    };
    let only = data.list(only_key)?.map(|names| {
        names
            .iter()
            .flat_map(|n| n.split(','))
            .map(|n| n.trim().to_owned())
            .collect::<Vec<_>>()
    });
    let q = data.text("q").map(|q| q.trim().to_lowercase());
    let mut groups: Vec<(String, Gathered)> = gather(index, kind)?
        .into_iter()
        .filter(|g| only.as_ref().is_none_or(|names| names.contains(&g.name)))
        .map(|g| {
            let title = choose_label(g.values.first().map(String::as_str).unwrap_or(""), &[]);
            (title, g)
        })
        .filter(|(title, g)| {
            q.as_ref().is_none_or(|q| {
                g.name.contains(q.as_str()) || title.to_lowercase().contains(q.as_str())
            })
        })
        .collect();
    let sort = data
        .text("sort")
        .or_else(|| data.text("order_by"))
        .unwrap_or_else(|| "title asc".to_owned());
    let words: Vec<&str> = sort.split_whitespace().collect();
    match words[..] {
        ["name"] | ["name", "asc"] => groups.sort_by(|a, b| a.1.name.cmp(&b.1.name)),
        ["name", "desc"] => groups.sort_by(|a, b| b.1.name.cmp(&a.1.name)),
        ["title"] | ["title", "asc"] => groups.sort_by_cached_key(|g| g.0.to_lowercase()),
        ["title", "desc"] => groups.sort_by_cached_key(|g| std::cmp::Reverse(g.0.to_lowercase())),
        ["packages" | "package_count"] | ["packages" | "package_count", "desc"] => {
            groups.sort_by_key(|g| std::cmp::Reverse(g.1.package_count))
        }
        ["packages" | "package_count", "asc"] => groups.sort_by_key(|g| g.1.package_count),
        _ => {
            return Err(CkanError::invalid(
                "sort",
                format!("cannot sort by `{sort}`: use name, title or package_count"),
            ))
        }
    }
    let page = groups
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX));
    let items: Vec<Value> = if all_fields {
        page.map(|(_, g)| serde_json::to_value(group_dict(kind, &g)).unwrap_or(Value::Null))
            .collect()
    } else {
        page.map(|(_, g)| Value::String(g.name)).collect()
    };
    Ok(Value::Array(items))
}

/// The organisation or group with this name or id.
pub(crate) fn find(
    index: &CatalogIndex,
    kind: GroupKind,
    id_or_name: &str,
) -> Result<Gathered, CkanError> {
    let label = match kind {
        GroupKind::Organization => "Organization",
        GroupKind::Group => "Group",
    };
    let type_name = match kind {
        GroupKind::Organization => "organization",
        GroupKind::Group => "group",
    };
    gather(index, kind)?
        .into_iter()
        .find(|g| g.name == id_or_name || super::names::group_id(type_name, &g.name) == id_or_name)
        .ok_or_else(|| CkanError::NotFound(format!("{label} was not found.")))
}

/// `tag_list`: every keyword (or those containing `query`), sorted; with `all_fields`, tag
/// dictionaries.
pub(crate) fn tag_list(index: &CatalogIndex, data: &DataDict) -> Result<Value, CkanError> {
    if data.text("vocabulary_id").is_some() {
        return Ok(json!([]));
    }
    let query = data
        .text("query")
        .or_else(|| data.text("q"))
        .map(|q| q.trim().to_lowercase());
    let all_fields = data.boolean("all_fields")?.unwrap_or(false);
    let mut names: Vec<String> = index
        .facet_counts(FacetField::Keyword)
        .map_err(|e| CkanError::Internal(e.into()))?
        .into_iter()
        .map(|count| count.value)
        .filter(|name| {
            query
                .as_ref()
                .is_none_or(|q| name.to_lowercase().contains(q.as_str()))
        })
        .collect();
    names.sort();
    Ok(Value::Array(
        names
            .into_iter()
            .map(|name| {
                if all_fields {
                    json!({"id": tag_id(&name), "name": name, "display_name": name, "vocabulary_id": null})
                } else {
                    Value::String(name)
                }
            })
            .collect(),
    ))
}

/// `license_list`: the licences the catalogue's records use, as CKAN's licence dictionaries.
pub(crate) fn license_list(index: &CatalogIndex) -> Result<Value, CkanError> {
    let counts = index
        .facet_counts(FacetField::Licence)
        .map_err(|e| CkanError::Internal(e.into()))?;
    let mut licences: Vec<Value> = counts
        .into_iter()
        .map(|count| {
            let id = count.value;
            let url = if id.contains("://") {
                id.clone()
            } else {
                String::new()
            };
            json!({
                "id": id,
                "title": choose_label(&id, &[]),
                "url": url,
                "status": "active",
                "maintainer": "",
                "family": "",
                "is_generic": false,
                "domain_content": false,
                "domain_data": false,
                "domain_software": false,
                "od_conformance": "not reviewed",
                "osd_conformance": "not reviewed",
            })
        })
        .collect();
    licences.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Ok(Value::Array(licences))
}
