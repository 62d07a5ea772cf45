-- Describes the extension segmentation as installed in the current database:
-- one line "object | property | value" for each fact about each member object
-- (pg_depend deptype 'e'), with names in place of OIDs, sorted, so that two
-- databases compare with diff.  test/ops/upgrade.sh compares a database
-- updated from an old release with a fresh install this way.
--
-- Covered: the extension row and its comment; every member's identity,
-- comment, owner and initial privileges; functions and aggregates (signature,
-- result, language, volatility, strictness, parallel safety, security definer,
-- leakproof, cost, rows, support function, settings, source and library,
-- ACL), aggregate definitions, types (I/O and binary functions, length,
-- alignment, storage, category, ...), composite attributes and their
-- comments, enum labels in order, domain constraints, operators, casts,
-- operator classes and the operators and support functions of their
-- families, tables and views (kind, owner, ACL, a view's definition, columns in order, constraints,
-- indexes, column comments).  A member of any other kind shows up as "not described", which
-- upgrade.sh reports: extend this file when the extension gains one.
SET search_path = pg_catalog;

WITH ext AS (
	SELECT e.* FROM pg_extension e WHERE e.extname = 'segmentation'
),
member AS (
	SELECT d.classid, d.objid, o.type || ' ' || o.identity AS obj
	FROM pg_depend d
	JOIN ext ON d.refobjid = ext.oid
	CROSS JOIN LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
	WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
),
fact(obj, property, value) AS (
	SELECT 'extension segmentation', p, v
	FROM ext CROSS JOIN LATERAL (VALUES
		('version', extversion),
		('relocatable', extrelocatable::text),
		('schema', extnamespace::regnamespace::text),
		('owner', pg_get_userbyid(extowner)::text),
		('configuration tables', extconfig::regclass[]::text),
		('configuration conditions', extcondition::text),
		('comment', quote_nullable(obj_description(ext.oid, 'pg_extension')))) x(p, v)

	-- every member: that it is one, its comment, its initial privileges
	UNION ALL
	SELECT m.obj, 'member', CASE WHEN m.classid IN ('pg_proc'::regclass, 'pg_type'::regclass,
			'pg_operator'::regclass, 'pg_cast'::regclass, 'pg_opclass'::regclass,
			'pg_opfamily'::regclass, 'pg_class'::regclass) THEN 'yes' ELSE 'yes, not described' END
	FROM member m
	UNION ALL
	SELECT m.obj, 'comment', quote_nullable(c.description)
	FROM member m
	LEFT JOIN pg_description c ON (c.classoid, c.objoid, c.objsubid) = (m.classid, m.objid, 0)
	UNION ALL
	SELECT m.obj, 'initial privileges (' || i.privtype::text || ')', i.initprivs::text
	FROM member m
	JOIN pg_init_privs i ON (i.classoid, i.objoid, i.objsubid) = (m.classid, m.objid, 0)

	-- functions, aggregates, procedures
	UNION ALL
	SELECT m.obj, x.p, x.v
	FROM member m
	JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
	JOIN pg_language l ON l.oid = p.prolang
	CROSS JOIN LATERAL (VALUES
		('kind', p.prokind::text),
		('arguments', pg_get_function_arguments(p.oid)),
		('argument types, all', p.proallargtypes::regtype[]::text),
		('argument modes', p.proargmodes::text),
		('argument names', p.proargnames::text),
		('argument defaults', pg_get_expr(p.proargdefaults, 0)),
		('variadic', p.provariadic::regtype::text),
		('returns', pg_get_function_result(p.oid)),
		('returns set', p.proretset::text),
		('language', l.lanname::text),
		('volatility', p.provolatile::text),
		('strict', p.proisstrict::text),
		('parallel', p.proparallel::text),
		('security definer', p.prosecdef::text),
		('leakproof', p.proleakproof::text),
		('cost', p.procost::text),
		('rows', p.prorows::text),
		('support', p.prosupport::oid::regprocedure::text),
		('configuration', p.proconfig::text),
		('source', quote_literal(p.prosrc)),
		('SQL body', pg_get_function_sqlbody(p.oid)),
		('library', p.probin),
		('owner', pg_get_userbyid(p.proowner)::text),
		('ACL', p.proacl::text)) x(p, v)

	UNION ALL
	SELECT m.obj, 'aggregate ' || x.p, x.v
	FROM member m
	JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND a.aggfnoid = m.objid
	CROSS JOIN LATERAL (VALUES
		('kind', a.aggkind::text),
		('direct arguments', a.aggnumdirectargs::text),
		('transition function', a.aggtransfn::oid::regprocedure::text),
		('final function', a.aggfinalfn::oid::regprocedure::text),
		('combine function', a.aggcombinefn::oid::regprocedure::text),
		('serial function', a.aggserialfn::oid::regprocedure::text),
		('deserial function', a.aggdeserialfn::oid::regprocedure::text),
		('moving transition function', a.aggmtransfn::oid::regprocedure::text),
		('moving inverse function', a.aggminvtransfn::oid::regprocedure::text),
		('moving final function', a.aggmfinalfn::oid::regprocedure::text),
		('final extra', a.aggfinalextra::text),
		('moving final extra', a.aggmfinalextra::text),
		('final modify', a.aggfinalmodify::text),
		('moving final modify', a.aggmfinalmodify::text),
		('sort operator', a.aggsortop::regoperator::text),
		('transition type', a.aggtranstype::regtype::text),
		('transition space', a.aggtransspace::text),
		('moving transition type', a.aggmtranstype::regtype::text),
		('moving transition space', a.aggmtransspace::text),
		('initial value', quote_nullable(a.agginitval)),
		('moving initial value', quote_nullable(a.aggminitval))) x(p, v)

	-- types
	UNION ALL
	SELECT m.obj, x.p, x.v
	FROM member m
	JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
	CROSS JOIN LATERAL (VALUES
		('type kind', t.typtype::text),
		('length', t.typlen::text),
		('by value', t.typbyval::text),
		('category', t.typcategory::text),
		('preferred', t.typispreferred::text),
		('defined', t.typisdefined::text),
		('delimiter', t.typdelim::text),
		('subscript', t.typsubscript::oid::regprocedure::text),
		('element', t.typelem::regtype::text),
		('array type', t.typarray::regtype::text),
		('input', t.typinput::oid::regprocedure::text),
		('output', t.typoutput::oid::regprocedure::text),
		('receive', t.typreceive::oid::regprocedure::text),
		('send', t.typsend::oid::regprocedure::text),
		('typmod input', t.typmodin::oid::regprocedure::text),
		('typmod output', t.typmodout::oid::regprocedure::text),
		('analyze', t.typanalyze::oid::regprocedure::text),
		('alignment', t.typalign::text),
		('storage', t.typstorage::text),
		('not null', t.typnotnull::text),
		('base type', t.typbasetype::regtype::text),
		('typmod', t.typtypmod::text),
		('dimensions', t.typndims::text),
		('collation', t.typcollation::regcollation::text),
		('default', t.typdefault),
		('owner', pg_get_userbyid(t.typowner)::text),
		('ACL', t.typacl::text)) x(p, v)

	-- attributes of composite types, by position (dropped ones left out)
	UNION ALL
	SELECT m.obj, 'attribute ' || row_number() OVER (PARTITION BY m.obj ORDER BY a.attnum),
		   format('%I %s collate %s not null %s comment %s', a.attname,
				  format_type(a.atttypid, a.atttypmod), a.attcollation::regcollation,
				  a.attnotnull, quote_nullable(col_description(a.attrelid, a.attnum)))
	FROM member m
	JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
	JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT m.obj, 'composite relation', format('kind %s, options %s, ACL %s', c.relkind, c.reloptions, c.relacl)
	FROM member m
	JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
	JOIN pg_class c ON c.oid = t.typrelid

	-- enum labels in sort order (not the sort-order numbers, which ADD VALUE
	-- makes fractional)
	UNION ALL
	SELECT m.obj, 'labels', string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
	FROM member m
	JOIN pg_enum e ON m.classid = 'pg_type'::regclass AND e.enumtypid = m.objid
	GROUP BY m.obj

	-- domain constraints
	UNION ALL
	SELECT m.obj, 'constraint ' || quote_ident(c.conname), pg_get_constraintdef(c.oid)
	FROM member m
	JOIN pg_constraint c ON m.classid = 'pg_type'::regclass AND c.contypid = m.objid

	-- operators
	UNION ALL
	SELECT m.obj, x.p, x.v
	FROM member m
	JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
	CROSS JOIN LATERAL (VALUES
		('operator kind', o.oprkind::text),
		('result', o.oprresult::regtype::text),
		('function', o.oprcode::oid::regprocedure::text),
		('restrict', o.oprrest::oid::regprocedure::text),
		('join', o.oprjoin::oid::regprocedure::text),
		('commutator', nullif(o.oprcom, 0)::regoperator::text),
		('negator', nullif(o.oprnegate, 0)::regoperator::text),
		('merges', o.oprcanmerge::text),
		('hashes', o.oprcanhash::text),
		('owner', pg_get_userbyid(o.oprowner)::text)) x(p, v)

	-- casts
	UNION ALL
	SELECT m.obj, x.p, x.v
	FROM member m
	JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND c.oid = m.objid
	CROSS JOIN LATERAL (VALUES
		('function', c.castfunc::regprocedure::text),
		('context', c.castcontext::text),
		('method', c.castmethod::text)) x(p, v)

	-- operator classes and families
	UNION ALL
	SELECT m.obj, x.p, x.v
	FROM member m
	JOIN pg_opclass c ON m.classid = 'pg_opclass'::regclass AND c.oid = m.objid
	CROSS JOIN LATERAL (VALUES
		('family', (pg_identify_object('pg_opfamily'::regclass, c.opcfamily, 0)).identity),
		('input type', c.opcintype::regtype::text),
		('default', c.opcdefault::text),
		('key type', c.opckeytype::regtype::text),
		('owner', pg_get_userbyid(c.opcowner)::text)) x(p, v)
	UNION ALL
	SELECT m.obj, format('operator %s (%s, %s)', o.amopstrategy, o.amoplefttype::regtype, o.amoprighttype::regtype),
		   format('%s purpose %s sort family %s', o.amopopr::regoperator, o.amoppurpose,
				  coalesce((pg_identify_object('pg_opfamily'::regclass, nullif(o.amopsortfamily, 0), 0)).identity, '-'))
	FROM member m
	JOIN pg_amop o ON m.classid = 'pg_opfamily'::regclass AND o.amopfamily = m.objid
	UNION ALL
	SELECT m.obj, format('function %s (%s, %s)', p.amprocnum, p.amproclefttype::regtype, p.amprocrighttype::regtype),
		   p.amproc::oid::regprocedure::text
	FROM member m
	JOIN pg_amproc p ON m.classid = 'pg_opfamily'::regclass AND p.amprocfamily = m.objid
	UNION ALL
	SELECT m.obj, 'owner', pg_get_userbyid(f.opfowner)::text
	FROM member m
	JOIN pg_opfamily f ON m.classid = 'pg_opfamily'::regclass AND f.oid = m.objid

	-- tables (the configuration table segment_source)
	UNION ALL
	SELECT m.obj, x.p, x.v
	FROM member m
	JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
	CROSS JOIN LATERAL (VALUES
		('kind', c.relkind::text),
		('owner', pg_get_userbyid(c.relowner)::text),
		('acl', c.relacl::text),
		('persistence', c.relpersistence::text),
		('view definition', md5(pg_get_viewdef(c.oid)))) x(p, v)
	UNION ALL
	SELECT m.obj, format('column %s', a.attnum), format('%I %s%s%s', a.attname,
		format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
		coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''))
	FROM member m
	JOIN pg_attribute a ON m.classid = 'pg_class'::regclass AND a.attrelid = m.objid
	LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
	WHERE a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT m.obj, format('column %s comment', a.attname), quote_nullable(col_description(a.attrelid, a.attnum))
	FROM member m
	JOIN pg_attribute a ON m.classid = 'pg_class'::regclass AND a.attrelid = m.objid
	WHERE a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT m.obj, 'constraint ' || k.conname, pg_get_constraintdef(k.oid)
	FROM member m
	JOIN pg_constraint k ON m.classid = 'pg_class'::regclass AND k.conrelid = m.objid
	UNION ALL
	SELECT m.obj, 'trigger ' || t.tgname, pg_get_triggerdef(t.oid)
	FROM member m
	JOIN pg_trigger t ON m.classid = 'pg_class'::regclass AND t.tgrelid = m.objid AND NOT t.tgisinternal	UNION ALL
	SELECT m.obj, 'index ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
	FROM member m
	JOIN pg_index i ON m.classid = 'pg_class'::regclass AND i.indrelid = m.objid
)
-- one line per fact: backslashes and newlines in values (function sources)
-- are escaped
SELECT obj || ' | ' || property || ' | ' ||
	   coalesce(replace(replace(value, '\', '\\'), E'\n', '\n'), 'NULL')
FROM fact
ORDER BY obj COLLATE "C", property COLLATE "C", value COLLATE "C";
