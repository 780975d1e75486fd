-- Sign-in attempts per client address in the current minute, shared by every app instance: the
-- per-address limit held per instance before (in memory), so N instances let through N times as
-- many guesses. The per-name lockout is login_throttle (001).
CREATE TABLE login_address_attempts (
  address       text PRIMARY KEY,
  window_start  timestamptz NOT NULL,
  attempts      integer NOT NULL
);
CREATE INDEX login_address_attempts_window_idx ON login_address_attempts (window_start);
