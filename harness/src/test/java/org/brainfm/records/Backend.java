package org.brainfm.records;

/** The databases the records tests run on (TestDatabases makes a fresh one of each per test). */
public enum Backend {
    /** An H2 file under the test's temporary folder: the default records. */
    H2,
    /** A new database on the PostgreSQL server of BRAINFM_TEST_POSTGRES: the shared records. */
    POSTGRESQL
}
