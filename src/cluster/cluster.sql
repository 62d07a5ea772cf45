
-- ---------------------------------------------------------------------------
-- Segments found in the data: k-means (src/cluster)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.segment_clusters;
CREATE FUNCTION @extschema@.segment_clusters_in(cstring) RETURNS @extschema@.segment_clusters
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_clusters_out(@extschema@.segment_clusters) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_clusters_recv(internal) RETURNS @extschema@.segment_clusters
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_clusters_send(@extschema@.segment_clusters) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.segment_clusters (
	INPUT = @extschema@.segment_clusters_in,
	OUTPUT = @extschema@.segment_clusters_out,
	RECEIVE = @extschema@.segment_clusters_recv,
	SEND = @extschema@.segment_clusters_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
CREATE FUNCTION @extschema@.segment_clusters_jsonb(model @extschema@.segment_clusters) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (@extschema@.segment_clusters AS jsonb)
	WITH FUNCTION @extschema@.segment_clusters_jsonb(@extschema@.segment_clusters);

CREATE TYPE @extschema@.segment_kmeans_choice AS (
	k int,
	wcss float8,
	silhouette float8,
	davies_bouldin float8,
	iterations int
);

CREATE FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int, text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int, text, bigint)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int, text)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int, text, bigint)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_combine(internal, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_serialize(internal)
	RETURNS bytea AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_deserialize(bytea, internal)
	RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_final(internal)
	RETURNS @extschema@.segment_clusters AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_kmeans_choose_final(internal)
	RETURNS @extschema@.segment_kmeans_choice[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE @extschema@.segment_kmeans(features float8[], k int) (
	SFUNC = @extschema@.segment_kmeans_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans(features float8[], k int, scaling text) (
	SFUNC = @extschema@.segment_kmeans_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans(features float8[], k int, scaling text, seed bigint) (
	SFUNC = @extschema@.segment_kmeans_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans_choose_k(features float8[], max_k int) (
	SFUNC = @extschema@.segment_kmeans_choose_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_choose_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans_choose_k(features float8[], max_k int, scaling text) (
	SFUNC = @extschema@.segment_kmeans_choose_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_choose_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.segment_kmeans_choose_k(features float8[], max_k int, scaling text, seed bigint) (
	SFUNC = @extschema@.segment_kmeans_choose_trans, STYPE = internal, SSPACE = 65536,
	FINALFUNC = @extschema@.segment_kmeans_choose_final, COMBINEFUNC = @extschema@.segment_kmeans_combine,
	SERIALFUNC = @extschema@.segment_kmeans_serialize, DESERIALFUNC = @extschema@.segment_kmeans_deserialize,
	PARALLEL = SAFE
);

CREATE FUNCTION @extschema@.segment_cluster(model @extschema@.segment_clusters, features float8[])
	RETURNS int AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.segment_cluster_distance(model @extschema@.segment_clusters, features float8[])
	RETURNS float8 AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON TYPE @extschema@.segment_clusters IS
'a fitted k-means model: scaling, centroids, cluster sizes, within-cluster sum of squares; from segment_kmeans';
COMMENT ON FUNCTION @extschema@.segment_clusters_in(cstring) IS 'text input of segment_clusters: name=value pairs in canonical order, validated';
COMMENT ON FUNCTION @extschema@.segment_clusters_out(@extschema@.segment_clusters) IS 'text output of segment_clusters: every number in the shortest form that reads back exactly';
COMMENT ON FUNCTION @extschema@.segment_clusters_recv(internal) IS 'binary input of segment_clusters (format version 1), validated';
COMMENT ON FUNCTION @extschema@.segment_clusters_send(@extschema@.segment_clusters) IS 'binary output of segment_clusters (format version 1)';
COMMENT ON FUNCTION @extschema@.segment_clusters_jsonb(@extschema@.segment_clusters) IS
'the model as jsonb: scaling, and per cluster its size, sum of squares and centroid in the features'' own units and scaled';
COMMENT ON CAST (@extschema@.segment_clusters AS jsonb) IS 'the model as jsonb, for BI tools';
COMMENT ON TYPE @extschema@.segment_kmeans_choice IS
'one row of the choose-k table: k, within-cluster sum of squares, silhouette (on a sample), Davies-Bouldin index, Lloyd iterations';
COMMENT ON FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int) IS 'transition function of segment_kmeans';
COMMENT ON FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int, text) IS 'transition function of segment_kmeans';
COMMENT ON FUNCTION @extschema@.segment_kmeans_trans(internal, float8[], int, text, bigint) IS 'transition function of segment_kmeans';
COMMENT ON FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int) IS 'transition function of segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int, text) IS 'transition function of segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_choose_trans(internal, float8[], int, text, bigint) IS 'transition function of segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_combine(internal, internal) IS 'combine function of segment_kmeans and segment_kmeans_choose_k: merges two bounded samples';
COMMENT ON FUNCTION @extschema@.segment_kmeans_serialize(internal) IS 'serialize function of segment_kmeans and segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_deserialize(bytea, internal) IS 'deserialize function of segment_kmeans and segment_kmeans_choose_k';
COMMENT ON FUNCTION @extschema@.segment_kmeans_final(internal) IS 'final function of segment_kmeans: scales the sample and fits k-means';
COMMENT ON FUNCTION @extschema@.segment_kmeans_choose_final(internal) IS 'final function of segment_kmeans_choose_k: fits and scores k = 2 .. max_k';
COMMENT ON AGGREGATE @extschema@.segment_kmeans(float8[], int) IS
'k-means (k-means++, 10 restarts, Lloyd) over z-scored feature vectors; a segment_clusters model';
COMMENT ON AGGREGATE @extschema@.segment_kmeans(float8[], int, text) IS
'k-means over feature vectors scaled by zscore, log1p (log1p then z-score) or none; a segment_clusters model';
COMMENT ON AGGREGATE @extschema@.segment_kmeans(float8[], int, text, bigint) IS
'k-means with a scaling and a seed of the caller''s choice; a segment_clusters model';
COMMENT ON AGGREGATE @extschema@.segment_kmeans_choose_k(float8[], int) IS
'the choose-k table for k = 2 .. max_k over z-scored features: within-cluster sum of squares, silhouette, Davies-Bouldin';
COMMENT ON AGGREGATE @extschema@.segment_kmeans_choose_k(float8[], int, text) IS
'the choose-k table for k = 2 .. max_k with a scaling (zscore, log1p, none)';
COMMENT ON AGGREGATE @extschema@.segment_kmeans_choose_k(float8[], int, text, bigint) IS
'the choose-k table for k = 2 .. max_k with a scaling and a seed';
COMMENT ON FUNCTION @extschema@.segment_cluster(@extschema@.segment_clusters, float8[]) IS
'the cluster (1 .. k, largest first) whose centroid is nearest to the scaled features; NULL if a feature is NULL';
COMMENT ON FUNCTION @extschema@.segment_cluster_distance(@extschema@.segment_clusters, float8[]) IS
'the Euclidean distance, in scaled units, from the features to the nearest centroid';
