//! `/sources`, `/api/sources` and `POST /admin/harvest/{source}`, with a fake harvester.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use chrono::Utc;
use ldtcat_serve::{HarvestAdmin, HarvestControl, SourceInfo, StartRunError};
use ldtcat_store::{HarvestRun, RunStatus};

use crate::common::Fixture;

#[derive(Default)]
struct FakeHarvester {
    started: Mutex<Vec<String>>,
}

impl HarvestControl for FakeHarvester {
    fn sources(&self) -> Vec<SourceInfo> {
        vec![SourceInfo {
            id: "perugia".to_owned(),
            title: "Comune di Perugia <b>".to_owned(),
            kind: "dcat".to_owned(),
            url: "https://dati.comune.perugia.it/catalog".to_owned(),
            enabled: true,
            schedule: Some("0 0 3 * * *".to_owned()),
            next_run: Some(Utc::now()),
            running: false,
        }]
    }

    fn start_run(&self, source_id: &str) -> Result<(), StartRunError> {
        if source_id != "perugia" {
            return Err(StartRunError::UnknownSource);
        }
        self.started
            .lock()
            .expect("lock")
            .push(source_id.to_owned());
        Ok(())
    }
}

fn fixture(token: Option<&str>) -> anyhow::Result<(Fixture, Arc<FakeHarvester>)> {
    let mut fixture = Fixture::new()?;
    let harvester = Arc::new(FakeHarvester::default());
    fixture.state.harvest = Some(HarvestAdmin {
        control: harvester.clone(),
        admin_token: token.map(str::to_owned),
    });
    let mut run = HarvestRun::start("perugia", true, Utc::now());
    run.status = RunStatus::Partial;
    run.added = 7;
    run.error("https://dati.comune.perugia.it/catalog?page=3: HTTP 500");
    run.ended_at = Some(Utc::now());
    fixture.state.store.save_run(&run)?;
    Ok((fixture, harvester))
}

#[tokio::test]
async fn sources_page_and_api_show_last_runs_and_errors() -> anyhow::Result<()> {
    let (fixture, _) = fixture(None)?;
    let (status, json) = fixture.get_json("/api/sources").await?;
    assert_eq!(status, StatusCode::OK);
    let source = &json["sources"][0];
    assert_eq!(source["id"], "perugia");
    assert_eq!(source["schedule"], "0 0 3 * * *");
    assert_eq!(source["runs"][0]["status"], "partial");
    assert_eq!(source["runs"][0]["added"], 7);
    assert!(source["runs"][0]["errors"][0]
        .as_str()
        .unwrap_or_default()
        .contains("HTTP 500"));
    let page = fixture.get("/sources").await?;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("partial") && page.body.contains("HTTP 500"));
    assert!(page.body.contains("Comune di Perugia &"), "{}", page.body);
    assert!(
        !page.body.contains("Perugia <b>"),
        "harvested text is escaped"
    );
    Ok(())
}

#[tokio::test]
async fn the_admin_endpoint_needs_the_bearer_token() -> anyhow::Result<()> {
    let (fixture, harvester) = fixture(Some("s3cret"))?;
    let reply = fixture
        .send_with("POST", "/admin/harvest/perugia", &[])
        .await?;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(reply.headers.contains_key("www-authenticate"));
    let reply = fixture
        .send_with(
            "POST",
            "/admin/harvest/perugia",
            &[("authorization", "Bearer wrong")],
        )
        .await?;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(harvester.started.lock().expect("lock").is_empty());
    let reply = fixture
        .send_with(
            "POST",
            "/admin/harvest/perugia",
            &[("authorization", "Bearer s3cret")],
        )
        .await?;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    assert_eq!(*harvester.started.lock().expect("lock"), ["perugia"]);
    let reply = fixture
        .send_with(
            "POST",
            "/admin/harvest/nowhere",
            &[("authorization", "Bearer s3cret")],
        )
        .await?;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn without_a_token_the_admin_endpoint_is_disabled_and_says_how_to_enable_it(
) -> anyhow::Result<()> {
    let (fixture, harvester) = fixture(None)?;
    let reply = fixture
        .send_with(
            "POST",
            "/admin/harvest/perugia",
            &[("authorization", "Bearer anything")],
        )
        .await?;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("LDTCAT_ADMIN_TOKEN"), "{}", reply.body);
    assert!(harvester.started.lock().expect("lock").is_empty());
    Ok(())
}
