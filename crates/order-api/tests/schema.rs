//! The two migration sets (`migrations/sqlite`, `migrations/postgres`) must
//! build the same schema: the queries are written once for both. Each
//! database's own catalogue is read and compared: tables, columns with
//! their type (through the declared map below) and nullability, primary
//! keys, and every index's columns, uniqueness and partiality.
//!
//! Needs both databases, so it runs in the test command's PostgreSQL pass
//! (`TEST_POSTGRES_URL`); the SQLite pass says it skipped.

mod common;

use sqlx::{Connection, PgConnection, Row, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};

/// A column's type as SQLite declares it and as PostgreSQL names it. Both
/// `BOOLEAN` flags are `INTEGER` 0/1 in SQLite.
const TYPE_MAP: [(&str, &str); 3] = [("INTEGER", "bigint"), ("INTEGER", "boolean"), ("TEXT", "text")];

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Column {
    name: String,
    /// The SQLite type (PostgreSQL's is mapped to it).
    sql_type: String,
    nullable: bool,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Index {
    columns: Vec<String>,
    unique: bool,
    partial: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    columns: BTreeSet<Column>,
    primary_key: Vec<String>,
    indexes: BTreeSet<Index>,
}

type Schema = BTreeMap<String, Table>;

async fn sqlite_schema(url: &str) -> Schema {
    let mut db = SqliteConnection::connect(url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_sqlx_migrations'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for name in tables {
        let mut table = Table::default();
        let mut key: Vec<(i64, String)> = Vec::new();
        for row in sqlx::query(&format!("PRAGMA table_info({name})")).fetch_all(&mut db).await.unwrap() {
            let column: String = row.get("name");
            let pk: i64 = row.get("pk");
            // A primary key column is NOT NULL whatever the pragma says (an
            // INTEGER PRIMARY KEY is the rowid).
            let nullable = row.get::<i64, _>("notnull") == 0 && pk == 0;
            if pk > 0 {
                key.push((pk, column.clone()));
            }
            table.columns.insert(Column { name: column, sql_type: row.get("type"), nullable });
        }
        key.sort();
        table.primary_key = key.into_iter().map(|(_, c)| c).collect();
        for index in sqlx::query(&format!("PRAGMA index_list({name})")).fetch_all(&mut db).await.unwrap() {
            if index.get::<String, _>("origin") == "pk" {
                continue;
            }
            let index_name: String = index.get("name");
            let columns = sqlx::query(&format!("PRAGMA index_info({index_name})"))
                .fetch_all(&mut db)
                .await
                .unwrap()
                .iter()
                .map(|c| c.get::<String, _>("name"))
                .collect();
            let unique = index.get::<i64, _>("unique") == 1;
            let partial = index.get::<i64, _>("partial") == 1;
            table.indexes.insert(Index { columns, unique, partial });
        }
        schema.insert(name, table);
    }
    schema
}

async fn postgres_schema(url: &str) -> Schema {
    let mut db = PgConnection::connect(url).await.unwrap();
    let mut schema = Schema::new();
    let columns = sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name != '_sqlx_migrations'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    for row in columns {
        let pg_type: String = row.get("data_type");
        let sql_type = TYPE_MAP.iter().find(|(_, pg)| *pg == pg_type).map(|(sqlite, _)| *sqlite);
        let sql_type = sql_type.unwrap_or_else(|| panic!("no SQLite type is declared for PostgreSQL's {pg_type}"));
        let table = schema.entry(row.get("table_name")).or_default();
        let nullable = row.get::<String, _>("is_nullable") == "YES";
        table.columns.insert(Column { name: row.get("column_name"), sql_type: sql_type.to_owned(), nullable });
    }
    let indexes = sqlx::query(
        "SELECT t.relname::text AS table_name, i.indisprimary, i.indisunique, i.indpred IS NOT NULL AS partial,
                ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace
         WHERE s.nspname = 'public' AND t.relname != '_sqlx_migrations'",
    )
    .fetch_all(&mut db)
    .await
    .unwrap();
    for row in indexes {
        let table = schema.get_mut(&row.get::<String, _>("table_name")).expect("an index on a known table");
        let columns: Vec<String> = row.get("columns");
        if row.get("indisprimary") {
            table.primary_key = columns;
        } else {
            table.indexes.insert(Index { columns, unique: row.get("indisunique"), partial: row.get("partial") });
        }
    }
    schema
}

#[tokio::test]
async fn sqlite_and_postgresql_migrations_build_the_same_schema() {
    let Ok(_) = std::env::var("TEST_POSTGRES_URL") else {
        eprintln!("skipped: needs TEST_POSTGRES_URL (the test command's PostgreSQL pass runs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}", dir.path().join("schema.db").display());
    order_api::db::connect(&sqlite_url).await.unwrap();
    let postgres_url = common::fresh_database_url(dir.path()).await;
    order_api::db::connect(&postgres_url).await.unwrap();

    let (sqlite, postgres) = (sqlite_schema(&sqlite_url).await, postgres_schema(&postgres_url).await);
    assert!(sqlite.len() >= 10, "read SQLite's tables: {:?}", sqlite.keys());
    assert_eq!(sqlite.keys().collect::<Vec<_>>(), postgres.keys().collect::<Vec<_>>(), "the same tables");
    for (name, table) in &sqlite {
        assert_eq!(table, &postgres[name], "table {name}: SQLite (left) and PostgreSQL (right) differ");
    }
}
