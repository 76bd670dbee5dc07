// Labels faultline puts on what it creates, so helpers are never selected and orphans can be found.
export const HELPER_LABEL = 'faultline.helper';
export const RUN_ID_LABEL = 'faultline.run-id';
export const COMPOSE_PROJECT = 'com.docker.compose.project';
export const COMPOSE_SERVICE = 'com.docker.compose.service';
