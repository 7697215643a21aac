/**
 * Names a database or its application user cannot take.
 *
 * - RDS reserves its own administrative roles: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints
 *   and https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.html (read 2026-11-27).
 * - Cloud SQL reserves its system users: https://cloud.google.com/sql/docs/postgres/users#default-users (read 2026-11-27).
 * - PostgreSQL reserves role names starting with `pg_` and the key words that cannot name a role:
 *   https://www.postgresql.org/docs/current/sql-keywords-appendix.html (read 2026-11-27).
 */
export const reservedDatabaseUsers: readonly string[] = [
    "rdsadmin",
    "rdsrepladmin",
    "rds_superuser",
    "rds_replication",
    "rds_password",
    "rds_iam",
    "rdstopmgr",
    "cloudsqladmin",
    "cloudsqlagent",
    "cloudsqlsuperuser",
    "cloudsqlreplica",
    "cloudsqlimportexport",
    "cloudsqliamuser",
    "cloudsqliamserviceaccount",
    "postgres",
    "admin",
    "root",
    "public",
    "none",
    "current_user",
    "session_user",
    "user",
    "all",
    "select",
    "grant",
    "table",
    "default",
];

export const reservedDatabaseUserPrefixes: readonly string[] = ["pg_", "rds_", "cloudsql"];

export const reservedDatabaseNames: readonly string[] = ["postgres", "template0", "template1", "rdsadmin", "cloudsqladmin"];
