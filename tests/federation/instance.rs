//! ldtcat instances for federation tests: each serves its catalogue on a loopback port (in
//! process) and harvests its peers through their change feeds.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use ldtcat::catalog::Catalog;
use ldtcat::harvest::{run_source, RunRequest};
use ldtcat::import::import_files;
use ldtcat::pipeline::withdraw_records;
use ldtcat::service::{HarvestService, ServiceControl};
use ldtcat_config::{load_harvest_file, SourceConfig};
use ldtcat_harvest::{Fetcher, HostPolicy};
use ldtcat_model::record_id;
use ldtcat_store::{HarvestRun, Origin};

/// The source id of records published at an instance itself.
pub const LOCAL: &str = "local";

/// One running ldtcat.
pub struct Instance {
    /// Its name (`a`, `b`, `c`).
    pub name: String,
    /// `http://127.0.0.1:{port}`.
    pub base: String,
    /// Its catalogue.
    pub catalog: Arc<Catalog>,
    /// Its peer sources, by id (`peer-{name}`).
    pub sources: Vec<SourceConfig>,
    service: Arc<HarvestService>,
    data_dir: tempfile::TempDir,
}

/// A record as an instance holds it: title, origin and primary source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The English title.
    pub title: String,
    /// Where it entered the federation (none: here).
    pub origin: Option<Origin>,
    /// The source whose description is stored.
    pub primary_source: String,
}

/// The IRI of record `n` published at `name`.
pub fn record_iri(name: &str, n: usize) -> String {
    format!("https://{name}.example.org/dataset/{n}")
}

/// The Turtle of records published at `name`: `(n, title)` pairs.
pub fn catalogue_turtle(name: &str, records: &[(usize, String)]) -> String {
    let mut text = String::from(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n",
    );
    for (n, title) in records {
        text.push_str(&format!(
            "<{}> a dcat:Dataset ; dct:title \"{title}\"@en ; dct:identifier \"{name}-{n}\" ;\n    \
             dct:publisher <https://{name}.example.org/org> .\n",
            record_iri(name, *n)
        ));
    }
    text.push_str(&format!(
        "<https://{name}.example.org/org> a <http://xmlns.com/foaf/0.1/Agent> ; \
         <http://xmlns.com/foaf/0.1/name> \"{name} city\" .\n"
    ));
    text
}

/// Starts instances `names` on loopback ports; `peers` lists `(harvester, harvested)` pairs.
/// `page_size` is the peer sources' feed page size.
pub async fn start(names: &[&str], peers: &[(&str, &str)], page_size: usize) -> Vec<Instance> {
    start_scheduled(names, peers, page_size, None).await
}

/// As [`start`], the peer sources harvested on the cron `schedule` (six fields) once the
/// instances' schedulers are started ([`Instance::service`]).
pub async fn start_scheduled(
    names: &[&str],
    peers: &[(&str, &str)],
    page_size: usize,
    schedule: Option<&str>,
) -> Vec<Instance> {
    let mut listeners = Vec::new();
    for _ in names {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        listeners.push((listener, base));
    }
    let base_of = |name: &str| -> String {
        let index = names.iter().position(|n| *n == name).expect("known name");
        listeners[index].1.clone()
    };
    let mut urls = Vec::new();
    for (harvester, harvested) in peers {
        urls.push((
            harvester.to_string(),
            harvested.to_string(),
            format!("{}/feed", base_of(harvested)),
        ));
    }
    let mut instances = Vec::new();
    for (name, (listener, base)) in names.iter().zip(listeners) {
        let data_dir = tempfile::tempdir().expect("tempdir");
        let catalog = Catalog::open(data_dir.path())
            .expect("opens")
            .with_catalogue_iri(format!("{base}/catalog"));
        let catalog = Arc::new(catalog);
        let mut sources = Vec::new();
        for (_, harvested, url) in urls.iter().filter(|(h, _, _)| h == name) {
            sources.push(peer_source(
                data_dir.path().to_path_buf(),
                &format!("peer-{harvested}"),
                url,
                page_size,
                schedule,
            ));
        }
        let instance = serve(name, base, catalog, sources, data_dir, listener).await;
        instances.push(instance);
    }
    instances
}

/// A peer source's configuration (written to `dir/{id}.toml`).
pub fn peer_source(
    dir: PathBuf,
    id: &str,
    feed_url: &str,
    page_size: usize,
    schedule: Option<&str>,
) -> SourceConfig {
    let path = dir.join(format!("{id}.toml"));
    let schedule = schedule
        .map(|cron| format!("schedule = \"{cron}\"\n"))
        .unwrap_or_default();
    let text = format!(
        "[[source]]\nid = \"{id}\"\nkind = \"peer\"\nurl = \"{feed_url}\"\n{schedule}\
         [source.options]\npage_size = {page_size}\n"
    );
    std::fs::write(&path, text).expect("writes config");
    load_harvest_file(&path)
        .expect("valid config")
        .into_iter()
        .next()
        .expect("one source")
}

async fn serve(
    name: &str,
    base: String,
    catalog: Arc<Catalog>,
    sources: Vec<SourceConfig>,
    data_dir: tempfile::TempDir,
    listener: tokio::net::TcpListener,
) -> Instance {
    let service = HarvestService::new(catalog.clone(), sources.clone(), 2)
        .await
        .expect("service");
    let state = ldtcat_serve::AppState {
        dsp: ldtcat_serve::DspSettings::default(),
        harvest: Some(ldtcat_serve::HarvestAdmin {
            control: Arc::new(ServiceControl(service.clone())),
            admin_token: None,
        }),
        sparql: ldtcat_serve::SparqlService::new(
            catalog.store.oxigraph().clone(),
            ldtcat_serve::SparqlLimits::default(),
            2,
        ),
        store: catalog.store.clone(),
        index: Arc::clone(&catalog.index),
        labels: ldtcat_serve::Labels::new(Arc::clone(&catalog.index)),
        rules: Arc::clone(&catalog.rules),
        site: ldtcat_serve::SiteSettings {
            title: format!("Instance {name}"),
            public_base_url: base.clone(),
            ..ldtcat_serve::SiteSettings::default()
        },
    };
    tokio::spawn(ldtcat_serve::serve_with_shutdown(
        listener,
        state,
        std::future::pending(),
    ));
    Instance {
        name: name.to_owned(),
        base,
        catalog,
        sources,
        service,
        data_dir,
    }
}

impl Instance {
    /// This instance's catalogue IRI.
    pub fn catalogue_iri(&self) -> String {
        format!("{}/catalog", self.base)
    }

    /// The harvest service (for scheduled runs).
    pub fn service(&self) -> &Arc<HarvestService> {
        &self.service
    }

    /// Publishes (adds or replaces) records here, as the source [`LOCAL`].
    pub fn publish(&self, records: &[(usize, String)]) {
        let file = self.data_dir.path().join("local.ttl");
        std::fs::write(&file, catalogue_turtle(&self.name, records)).expect("writes");
        import_files(&self.catalog, &[file], LOCAL, None, None, &|_| {}).expect("imports");
    }

    /// Deletes records published here.
    pub fn unpublish(&self, numbers: &[usize]) {
        let ids: Vec<String> = numbers
            .iter()
            .map(|n| record_id(&record_iri(&self.name, *n)))
            .collect();
        withdraw_records(&self.catalog, &ids, LOCAL).expect("withdraws");
    }

    /// Harvests the peer source `source_id` once.
    pub async fn harvest(&self, source_id: &str) -> HarvestRun {
        let source = self
            .sources
            .iter()
            .find(|s| s.id == source_id)
            .unwrap_or_else(|| panic!("{}: no source {source_id}", self.name))
            .clone();
        let fetcher = Fetcher::new(HostPolicy::for_urls([&source.url])).expect("client");
        run_source(
            self.catalog.clone(),
            fetcher,
            source,
            RunRequest::default(),
            &|_| {},
        )
        .await
        .expect("the run completes with a report")
    }

    /// Harvests every peer source once, in id order.
    pub async fn harvest_all(&self) -> Vec<HarvestRun> {
        let mut runs = Vec::new();
        let ids: Vec<String> = self.sources.iter().map(|s| s.id.clone()).collect();
        for id in ids {
            runs.push(self.harvest(&id).await);
        }
        runs
    }

    /// Every live record, by resource IRI.
    pub fn held(&self) -> BTreeMap<String, Held> {
        let store = &self.catalog.store;
        let mut held = BTreeMap::new();
        for id in store.record_ids().expect("ids") {
            let record = store.record(&id).expect("reads").expect("exists");
            let title = record
                .triples
                .iter()
                .find(|t| t.predicate.as_str() == "http://purl.org/dc/terms/title")
                .map(|t| match &t.object {
                    oxrdf::Term::Literal(literal) => literal.value().to_owned(),
                    other => other.to_string(),
                })
                .unwrap_or_default();
            let previous = held.insert(
                record.iri.clone(),
                Held {
                    title,
                    origin: record.origin.clone(),
                    primary_source: record.primary_source.clone(),
                },
            );
            assert!(previous.is_none(), "{}: {} twice", self.name, record.iri);
        }
        held
    }

    /// The number of documents in the search index.
    pub fn indexed(&self) -> u64 {
        self.catalog.index.num_docs()
    }

    /// The last feed sequence number given.
    pub fn last_sequence(&self) -> u64 {
        self.catalog.store.last_sequence().expect("reads")
    }
}
