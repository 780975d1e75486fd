// What the live event stream (GET /api/v1/events) sends besides the events themselves, shared with
// the web app.

/** Sent to every open stream when events may have been missed: the page reloads what it shows. */
export const RESYNC_EVENT = 'resync';
