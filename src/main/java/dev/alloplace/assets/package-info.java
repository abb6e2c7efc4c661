/**
 * Content-addressed assets: the wire codec of the ASSETS channel, a disk store that survives
 * restarts, and the exchange that fetches assets from agents on behalf of other agents.
 *
 * <p>{@link dev.alloplace.assets.AssetExchange} and {@link dev.alloplace.assets.AssetStore} are
 * confined to the place thread; the store's file I/O runs there too (see {@code AssetStore}).
 */
package dev.alloplace.assets;
