/**
 * Live media: {@code allocate_track} / {@code media_track} handling and the relay of media
 * packets from a track's owner to its subscribers.
 *
 * <p>Everything here is confined to the place thread. The place implements {@link
 * dev.alloplace.media.MediaEntities} so the registry can check entities, and calls {@link
 * dev.alloplace.media.TrackRegistry} on allocate/subscribe requests, on every media packet, and
 * when entities or agents go away.
 */
package dev.alloplace.media;
