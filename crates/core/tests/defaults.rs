//! Every model's defaults validate and compute: the widgets start from them,
//! and their never-shown fallback (`Outputs::default()`, see the app's
//! `components::defaults`) relies on it.

use mqtt_lab_core::{backoff, battery, broker_cost, capacity, qos, tls_timeout};

#[test]
fn every_model_computes_its_defaults() {
    assert_eq!(
        capacity::compute(&capacity::Inputs::default())
            .unwrap()
            .required_connections,
        1216
    );
    assert!(battery::compute(&battery::Inputs::default()).is_ok());
    assert!(broker_cost::compute(&broker_cost::Inputs::default()).is_ok());
    assert!(tls_timeout::compute(&tls_timeout::Inputs::default()).is_ok());
    assert!(qos::analytic(&qos::Inputs::default()).is_ok());
    let attempts = backoff::ATTEMPTS.default as u32;
    let schedule = backoff::schedule(
        &backoff::Policy::default(),
        attempts,
        backoff::SEED.default as u64,
    )
    .unwrap();
    assert_eq!(schedule.len(), attempts as usize);
}
