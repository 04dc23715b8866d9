//! Catalogue reads.

use super::{from_json, Db};
use crate::error::ApiResult;
use shop_core::catalogue::{Category, Image, Origin, Producer, ProductDetail, ProductSummary, Sort, Variant};

#[derive(sqlx::FromRow)]
struct CategoryRow {
    slug: String,
    name: String,
    blurb: String,
    product_count: i64,
}

pub async fn categories(db: &Db) -> ApiResult<Vec<Category>> {
    let rows: Vec<CategoryRow> = sqlx::query_as(
        "SELECT c.slug, c.name, c.blurb,
                (SELECT COUNT(*) FROM products p WHERE p.category_slug = c.slug AND p.published) AS product_count
         FROM categories c ORDER BY c.position",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|c| Category { slug: c.slug, name: c.name, blurb: c.blurb, product_count: c.product_count })
        .collect())
}

/// What the shopper asked the catalogue for, already validated.
pub struct ProductQuery {
    pub category: Option<String>,
    pub text: Option<String>,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
}

/// Published products only; draft rows never leave this function.
const LISTED: &str = "
    FROM products p
    WHERE p.published
      AND ($1 IS NULL OR p.category_slug = $1)
      AND ($2 IS NULL OR lower(p.name) LIKE lower($2) ESCAPE '\\' OR lower(p.subtitle) LIKE lower($2) ESCAPE '\\'
           OR lower(p.origin_county) LIKE lower($2) ESCAPE '\\' OR lower(p.origin_township) LIKE lower($2) ESCAPE '\\'
           OR EXISTS (SELECT 1 FROM producers r WHERE r.slug = p.producer_slug AND lower(r.name) LIKE lower($2) ESCAPE '\\'))";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    slug: String,
    name: String,
    subtitle: String,
    category_slug: String,
    origin_county: String,
    origin_township: String,
    images: String,
    price_fen: i64,
    in_stock: i64,
}

pub async fn products(db: &Db, q: &ProductQuery) -> ApiResult<(Vec<ProductSummary>, i64)> {
    let pattern = q.text.as_deref().map(like_pattern);
    let order = match q.sort {
        Sort::Featured => "p.featured_rank, p.id",
        Sort::PriceAsc => "price_fen, p.featured_rank, p.id",
        Sort::PriceDesc => "price_fen DESC, p.featured_rank, p.id",
        Sort::Newest => "p.created_at DESC, p.id DESC",
    };
    let sql = format!("{SUMMARY_SELECT} {LISTED} ORDER BY {order} LIMIT $3 OFFSET $4");
    let offset = i64::from(q.page - 1) * i64::from(q.per_page);
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql)
        .bind(&q.category)
        .bind(&pattern)
        .bind(i64::from(q.per_page))
        .bind(offset)
        .fetch_all(db)
        .await?;
    let total: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) {LISTED}")).bind(&q.category).bind(&pattern).fetch_one(db).await?;
    Ok((rows.into_iter().map(summary).collect(), total))
}

/// The columns of a [`SummaryRow`], for a query over `products p`.
const SUMMARY_SELECT: &str = "SELECT p.slug, p.name, p.subtitle, p.category_slug, p.origin_county, p.origin_township, p.images,
    (SELECT MIN(v.price_fen) FROM variants v WHERE v.product_id = p.id) AS price_fen,
    CASE WHEN EXISTS (SELECT 1 FROM variants v WHERE v.product_id = p.id AND v.stock > 0) THEN 1 ELSE 0 END AS in_stock";

fn summary(r: SummaryRow) -> ProductSummary {
    ProductSummary {
        image: first_image(&r.images),
        origin: format!("{}·{}", r.origin_county, r.origin_township),
        slug: r.slug,
        name: r.name,
        subtitle: r.subtitle,
        category: r.category_slug,
        price_fen: r.price_fen,
        in_stock: r.in_stock != 0,
    }
}

/// `LIKE` pattern for a substring search, with the user's `%` and `_` taken literally.
fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

pub(super) fn first_image(images_json: &str) -> Image {
    from_json::<Vec<Image>>(images_json).into_iter().next().unwrap_or_else(|| Image {
        src: "/images/placeholder.svg".into(),
        width: 400,
        height: 400,
        alt: String::new(),
    })
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: i64,
    published: i64,
    slug: String,
    name: String,
    subtitle: String,
    category_slug: String,
    category_name: String,
    origin_region: String,
    origin_county: String,
    origin_township: String,
    producer: String,
    producer_slug: String,
    description: String,
    story: String,
    net_weight: String,
    shelf_life: String,
    storage: String,
    certifications: String,
    images: String,
    adoption_plan: Option<String>,
}

/// A published product with its variants; `None` for unknown slugs and drafts.
pub async fn published_product(db: &Db, slug: &str) -> ApiResult<Option<ProductDetail>> {
    Ok(any_product(db, slug).await?.filter(|(_, published)| *published).map(|(product, _)| product))
}

/// Any product, draft or not, and whether it is published.
pub(super) async fn any_product(db: &Db, slug: &str) -> ApiResult<Option<(ProductDetail, bool)>> {
    let row: Option<DetailRow> = sqlx::query_as(
        "SELECT p.id, CASE WHEN p.published THEN 1 ELSE 0 END AS published, p.slug, p.name, p.subtitle, p.category_slug, c.name AS category_name,
                p.origin_region, p.origin_county, p.origin_township, COALESCE(r.name, '') AS producer,
                COALESCE(p.producer_slug, '') AS producer_slug, p.description, p.story, p.net_weight,
                p.shelf_life, p.storage, p.certifications, p.images, p.adoption_plan
         FROM products p JOIN categories c ON c.slug = p.category_slug
         LEFT JOIN producers r ON r.slug = p.producer_slug
         WHERE p.slug = $1",
    )
    .bind(slug)
    .fetch_optional(db)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let variants = variants_of(db, r.id).await?;
    let detail = ProductDetail {
        slug: r.slug,
        name: r.name,
        subtitle: r.subtitle,
        category: r.category_slug,
        category_name: r.category_name,
        origin: Origin { region: r.origin_region, county: r.origin_county, township: r.origin_township },
        producer: r.producer,
        producer_slug: r.producer_slug,
        description: r.description,
        story: r.story,
        net_weight: r.net_weight,
        shelf_life: r.shelf_life,
        storage: r.storage,
        certifications: from_json(&r.certifications),
        images: from_json(&r.images),
        variants,
        adoption: r.adoption_plan.as_deref().and_then(|json| serde_json::from_str(json).ok()),
    };
    Ok(Some((detail, r.published != 0)))
}

#[derive(sqlx::FromRow)]
struct VariantRow {
    sku: String,
    label: String,
    price_fen: i64,
    stock: i64,
}

pub(super) async fn variants_of(db: &Db, product_id: i64) -> ApiResult<Vec<Variant>> {
    let rows: Vec<VariantRow> =
        sqlx::query_as("SELECT sku, label, price_fen, stock FROM variants WHERE product_id = $1 ORDER BY position")
            .bind(product_id)
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|v| Variant { sku: v.sku, label: v.label, price_fen: v.price_fen, stock: v.stock })
        .collect())
}

#[derive(sqlx::FromRow)]
struct ProducerRow {
    slug: String,
    name: String,
    county: String,
    township: String,
    description: String,
}

/// A producer's page: who they are and what they sell (published products).
pub async fn producer(db: &Db, slug: &str) -> ApiResult<Option<Producer>> {
    let row: Option<ProducerRow> =
        sqlx::query_as("SELECT slug, name, county, township, description FROM producers WHERE slug = $1")
            .bind(slug)
            .fetch_optional(db)
            .await?;
    let Some(r) = row else { return Ok(None) };
    let rows: Vec<SummaryRow> = sqlx::query_as(
        &[SUMMARY_SELECT, " FROM products p WHERE p.published AND p.producer_slug = $1 ORDER BY p.featured_rank, p.id"]
            .concat(),
    )
    .bind(&r.slug)
    .fetch_all(db)
    .await?;
    let products = rows.into_iter().map(summary).collect();
    Ok(Some(Producer {
        slug: r.slug,
        name: r.name,
        county: r.county,
        township: r.township,
        description: r.description,
        products,
    }))
}

/// Free hive numbers of an adoption SKU, lowest first.
pub async fn free_hives(db: &Db, sku: &str) -> ApiResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT h.no FROM hives h WHERE h.sku = $1 AND NOT EXISTS
             (SELECT 1 FROM adoptions a WHERE a.sku = h.sku AND a.hive_no = h.no AND NOT a.released)
         ORDER BY h.no",
    )
    .bind(sku)
    .fetch_all(db)
    .await?)
}

/// Every page a search engine may list: the published products, the
/// producers of at least one, and the categories with one, as paths.
pub async fn listed_paths(db: &Db) -> ApiResult<Vec<String>> {
    let paths: Vec<String> = sqlx::query_scalar(
        "SELECT '/products/' || slug FROM products WHERE published
         UNION SELECT '/producers/' || producer_slug FROM products WHERE published AND producer_slug IS NOT NULL
         UNION SELECT '/products?category=' || category_slug FROM products WHERE published
         ORDER BY 1",
    )
    .fetch_all(db)
    .await?;
    Ok(paths)
}
