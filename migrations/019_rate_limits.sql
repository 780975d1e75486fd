-- Counters of rate limits shared by every app instance, a row per limited thing (bucket: the route,
-- "POST /api/v1/auth/login" for sign-in) and client address, in fixed windows. Before, only sign-in
-- was counted here (login_address_attempts, 018); the public feedback routes counted in each
-- instance's memory, so N instances let through N times as much. The counts are a few minutes'
-- worth: nothing is carried over.
CREATE TABLE rate_limit_hits (
  bucket        text NOT NULL,
  key           text NOT NULL,
  window_start  timestamptz NOT NULL,
  hits          integer NOT NULL,
  PRIMARY KEY (bucket, key)
);
CREATE INDEX rate_limit_hits_window_idx ON rate_limit_hits (window_start);

DROP TABLE login_address_attempts;
