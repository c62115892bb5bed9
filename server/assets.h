/*
 * assets.h - the files `licet serve` serves from inside the binary
 * (the files of server/assets and docs/openapi.json), generated at build time by
 * scripts/embed-assets.sh.
 */
#ifndef LICET_SERVER_ASSETS_H
#define LICET_SERVER_ASSETS_H

#include <stddef.h>

typedef struct srv_asset {
    const char *name; /* base name: "app.css" */
    size_t len;
    const char *data;
} srv_asset;

/* Ends with an entry whose name is NULL. */
extern const srv_asset srv_assets[];

/* The asset called name, or NULL. */
const srv_asset *srv_asset_find(const char *name);

#endif
