-- Inline projection of the appointment streams (issue 17, 预约 / 延时错时服务; decision record
-- src/CaseFlow.Domain/Appointments/README.md). A slot's row is its capacity: every booking, change and cancellation
-- moves `booked` in the command's own transaction, and the CHECK makes an overbooking impossible — concurrent
-- bookings of one slot queue on its row, and the one that would exceed the capacity fails and is answered 422
-- appointment.slot_full.
CREATE TABLE cf_appointment_slots (
    slot_id     uuid        PRIMARY KEY,
    centre_id   text        NOT NULL,
    window_id   text        NOT NULL,
    day         date        NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    kind        text        NOT NULL,
    capacity    int         NOT NULL,
    booked      int         NOT NULL DEFAULT 0,
    CONSTRAINT cf_appointment_slots_capacity CHECK (booked >= 0 AND booked <= capacity)
);
CREATE INDEX cf_appointment_slots_centre ON cf_appointment_slots (centre_id, starts_at, slot_id);

CREATE TABLE cf_appointment_items (
    centre_id   text    NOT NULL,
    item_code   text    NOT NULL,
    item_name   text    NOT NULL,
    checklist   text[]  NOT NULL,
    PRIMARY KEY (centre_id, item_code)
);

-- One row per booking: the centre's list of the day, the agent's own bookings, the sweeper's reminders and no-shows.
-- Personal data (name, ID number, phone) as in the case rows: shown whole to the centre's clerks only.
CREATE TABLE cf_appointments (
    appointment_id  uuid        PRIMARY KEY,
    number          text        NOT NULL UNIQUE,
    centre_id       text        NOT NULL,
    window_id       text        NOT NULL,
    slot_id         uuid        NOT NULL,
    day             date        NOT NULL,
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    kind            text        NOT NULL,
    item_code       text        NOT NULL,
    item_name       text        NOT NULL,
    applicant_name  text        NOT NULL,
    id_number       text        NOT NULL,
    phone           text        NOT NULL,
    channel         text        NOT NULL,
    booked_by       text        NOT NULL,
    booked_at       timestamptz NOT NULL,
    remind_at       timestamptz NOT NULL,
    reminded        boolean     NOT NULL DEFAULT false,
    status          text        NOT NULL,
    case_id         uuid,
    version         bigint      NOT NULL
);
CREATE INDEX cf_appointments_centre_day ON cf_appointments (centre_id, starts_at, appointment_id);
CREATE INDEX cf_appointments_booked_by ON cf_appointments (booked_by, starts_at, appointment_id);
CREATE INDEX cf_appointments_applicant ON cf_appointments (centre_id, day, id_number) WHERE status = 'Booked';
CREATE INDEX cf_appointments_due ON cf_appointments (remind_at) WHERE status = 'Booked' AND NOT reminded;
CREATE INDEX cf_appointments_open ON cf_appointments (ends_at) WHERE status = 'Booked';

-- Booking numbers: one counter per centre and slot day (YY-<centre>-<yyyymmdd>-<nnnn>), never reused.
CREATE TABLE cf_appointment_numbers (
    centre_id   text    NOT NULL,
    day         date    NOT NULL,
    last        int     NOT NULL,
    PRIMARY KEY (centre_id, day)
);
