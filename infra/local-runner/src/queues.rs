//! Queue timings of a local stack: the template's by default, shorter in tests.

use printvault_adapters::names;

/// Queue timings. The template's values suit Lambda; tests shorten the
/// visibility timeout so that retries and the DLQ happen within seconds.
#[derive(Debug, Clone)]
pub struct QueueSettings {
    pub visibility_timeout_secs: i32,
    pub max_receive_count: i32,
}

/// The uploads queue's.
impl Default for QueueSettings {
    fn default() -> Self {
        Self {
            visibility_timeout_secs: names::UPLOADS_VISIBILITY_TIMEOUT_SECS,
            max_receive_count: names::UPLOADS_MAX_RECEIVE_COUNT,
        }
    }
}

impl QueueSettings {
    /// The image-events queue's, as the template sets them.
    pub fn image_events() -> Self {
        Self {
            visibility_timeout_secs: names::IMAGE_EVENTS_VISIBILITY_TIMEOUT_SECS,
            max_receive_count: names::IMAGE_EVENTS_MAX_RECEIVE_COUNT,
        }
    }

    /// The dispatch queue's, as the template sets them.
    pub fn dispatch() -> Self {
        Self {
            visibility_timeout_secs: names::DISPATCH_VISIBILITY_TIMEOUT_SECS,
            max_receive_count: names::DISPATCH_MAX_RECEIVE_COUNT,
        }
    }

    /// The exports queue's, as the template sets them.
    pub fn exports() -> Self {
        Self {
            visibility_timeout_secs: names::EXPORTS_VISIBILITY_TIMEOUT_SECS,
            max_receive_count: names::EXPORTS_MAX_RECEIVE_COUNT,
        }
    }

    /// The notices queue's, as the template sets them.
    pub fn notices() -> Self {
        Self {
            visibility_timeout_secs: names::NOTICES_VISIBILITY_TIMEOUT_SECS,
            max_receive_count: names::NOTICES_MAX_RECEIVE_COUNT,
        }
    }
}

/// The timings of each queue.
#[derive(Debug, Clone)]
pub struct AllQueues {
    pub uploads: QueueSettings,
    pub image_events: QueueSettings,
    pub notices: QueueSettings,
    pub dispatch: QueueSettings,
    pub exports: QueueSettings,
}

impl Default for AllQueues {
    fn default() -> Self {
        Self {
            uploads: QueueSettings::default(),
            image_events: QueueSettings::image_events(),
            notices: QueueSettings::notices(),
            dispatch: QueueSettings::dispatch(),
            exports: QueueSettings::exports(),
        }
    }
}
