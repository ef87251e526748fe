"""The OpenAPI 3.1 description of /api/v1/ (hand-written; tests run schemathesis against it)."""

from __future__ import annotations

from typing import Any

NUMBER_OR_NULL: dict[str, Any] = {"type": ["number", "null"]}
STRING_OR_NULL: dict[str, Any] = {"type": ["string", "null"]}
CODE: dict[str, Any] = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,120}$"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


NOT_FOUND = {
    "description": "Tidak ditemukan atau belum diterbitkan",
    "content": {"application/json": {"schema": _ref("Error")}},
}


def _path_param(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": CODE}


PERIOD_PARAM = _path_param("period", "Kode periode, mis. 2024 atau 2024-S1")
UNIT_PARAM = _path_param("code", "Kode unit, mis. kelurahan-mawar")

AGGREGATE = {
    "type": "object",
    "required": ["ikm", "mutu", "units"],
    "properties": {"ikm": NUMBER_OR_NULL, "mutu": STRING_OR_NULL, "units": {"type": "integer", "minimum": 0}},
}

ELEMENT = {
    "type": "object",
    "required": ["key", "name", "score", "mutu"],
    "properties": {
        "key": {"type": "string"},
        "name": {"type": "string"},
        "score": NUMBER_OR_NULL,
        "mutu": STRING_OR_NULL,
    },
}

FLAGS = {
    "type": "array",
    "items": {
        "type": "string",
        "enum": [
            "element_out_of_range", "ikm_mismatch", "ikm_out_of_range", "letter_mismatch", "letter_invalid",
            "no_respondents", "flagged",
        ],
    },
    "description": "Kode masalah pemeriksaan hasil impor; kosong bila tidak ada ('flagged': publikasi lama)",
}

UNIT_RESULT = {
    "type": "object",
    "required": ["code", "name", "group", "source", "flags", "respondents", "ikm", "mutu", "elements", "priorities"],
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"type": "string"},
        "group": {"type": "string"},
        "source": {
            "type": "string",
            "enum": ["system", "imported"],
            "description": "Dihitung dari respons di sistem atau hasil impor",
        },
        "imported": {"type": "boolean"},
        "flagged": {
            "type": "boolean",
            "description": "Hasil impor yang tidak lolos pemeriksaan dan disimpan apa adanya (flags tidak kosong)",
        },
        "flags": FLAGS,
        "stated_ikm": {**NUMBER_OR_NULL, "description": "IKM yang dikirim (hasil impor); ikm = IKM yang dihitung"},
        "stated_mutu": {**STRING_OR_NULL, "description": "Mutu yang dikirim (hasil impor); mutu selalu = pita ikm"},
        "window": {"type": "string", "description": "Rentang survei unit"},
        "channels": {"type": "string"},
        "respondents": {"type": "integer", "minimum": 0},
        **{f"u{i}": NUMBER_OR_NULL for i in range(1, 10)},
        "ikm": NUMBER_OR_NULL,
        "mutu": STRING_OR_NULL,
        "ci": {
            "type": ["array", "null"],
            "items": {"type": "number"},
            "minItems": 2,
            "maxItems": 2,
            "description": "Selang kepercayaan 95 % IKM",
        },
        "priorities": {"type": "array", "items": {"type": "string"}},
        "rtl_status": {"type": "string"},
        "elements": {"type": "array", "items": _ref("Element")},
    },
}

PERIOD_META = {
    "period": {
        "type": "object",
        "required": ["slug", "name", "start", "end"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "start": {"type": "string", "format": "date"},
            "end": {"type": "string", "format": "date"},
        },
    },
    "published_at": {"type": "string", "format": "date-time"},
    "weight": {"type": "string", "enum": ["0.111", "exact"]},
    "method": {"type": "string", "enum": ["mean", "pooled", "weighted"]},
    "method_label": {"type": "string"},
}

UNIT = {
    "type": "object",
    "required": ["code", "name", "kind", "group", "active"],
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"type": "string"},
        "group": {"type": "string"},
        "active": {"type": "boolean"},
    },
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Sumber Daya – data terbuka SKM",
        "version": "1.0.0",
        "description": "Hasil Survei Kepuasan Masyarakat yang telah diterbitkan pemerintah kota. Hanya baca; "
        "komentar dan data responden tidak pernah disertakan.",
    },
    "servers": [{"url": "/"}],
    "paths": {
        "/api/v1/units/": {
            "get": {
                "operationId": "listUnits",
                "summary": "Daftar unit pelayanan aktif",
                "responses": {"200": _ok("UnitList", "Daftar unit")},
            }
        },
        "/api/v1/units/{code}/": {
            "get": {
                "operationId": "getUnit",
                "summary": "Satu unit dan hasil terbitnya per periode",
                "parameters": [UNIT_PARAM],
                "responses": {"200": _ok("UnitDetail", "Unit"), "404": NOT_FOUND},
            }
        },
        "/api/v1/periods/": {
            "get": {
                "operationId": "listPeriods",
                "summary": "Daftar periode survei dan status terbit",
                "responses": {"200": _ok("PeriodList", "Daftar periode")},
            }
        },
        "/api/v1/results/{period}/": {
            "get": {
                "operationId": "getResults",
                "summary": "Rekap terbit satu periode: kota, kelompok, unit",
                "parameters": [PERIOD_PARAM],
                "responses": {"200": _ok("Results", "Rekap terbit"), "404": NOT_FOUND},
            }
        },
        "/api/v1/results/{period}/{code}/": {
            "get": {
                "operationId": "getUnitResult",
                "summary": "Hasil terbit satu unit pada satu periode",
                "parameters": [PERIOD_PARAM, UNIT_PARAM],
                "responses": {"200": _ok("UnitResultDetail", "Hasil unit"), "404": NOT_FOUND},
            }
        },
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["status", "message"],
                        "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
                    }
                },
            },
            "Unit": UNIT,
            "UnitList": {
                "type": "object",
                "required": ["units"],
                "properties": {"units": {"type": "array", "items": _ref("Unit")}},
            },
            "UnitDetail": {
                "type": "object",
                "required": ["unit", "results"],
                "properties": {
                    "unit": _ref("Unit"),
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["period", "ikm", "mutu", "respondents", "source", "flags"],
                            "properties": {
                                "period": {"type": "string"},
                                "ikm": {"type": "number"},
                                "mutu": {"type": "string"},
                                "respondents": {"type": "integer"},
                                "source": {"type": "string", "enum": ["system", "imported"]},
                                "flags": FLAGS,
                            },
                        },
                    },
                },
            },
            "PeriodList": {
                "type": "object",
                "required": ["periods"],
                "properties": {
                    "periods": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["slug", "name", "start", "end", "published", "published_at"],
                            "properties": {
                                "slug": {"type": "string"},
                                "name": {"type": "string"},
                                "start": {"type": "string", "format": "date"},
                                "end": {"type": "string", "format": "date"},
                                "published": {"type": "boolean"},
                                "published_at": {"type": ["string", "null"], "format": "date-time"},
                            },
                        },
                    }
                },
            },
            "Aggregate": AGGREGATE,
            "Element": ELEMENT,
            "UnitResult": UNIT_RESULT,
            "Results": {
                "type": "object",
                "required": ["period", "published_at", "weight", "method", "city", "groups", "units"],
                "properties": {
                    **PERIOD_META,
                    "city": _ref("Aggregate"),
                    "groups": {
                        "type": "array",
                        "items": {
                            "allOf": [
                                _ref("Aggregate"),
                                {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                            ]
                        },
                    },
                    "units": {"type": "array", "items": _ref("UnitResult")},
                },
            },
            "UnitResultDetail": {
                "type": "object",
                "required": ["period", "published_at", "unit"],
                "properties": {**PERIOD_META, "unit": _ref("UnitResult")},
            },
        }
    },
}
