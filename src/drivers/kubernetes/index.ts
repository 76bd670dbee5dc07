// The Kubernetes driver's public entry point (`faultline/kubernetes`), kept apart from the main
// index so that importing faultline does not load @kubernetes/client-node.
export { KubernetesDriver, DEFAULT_HELPER_IMAGE, type KubernetesDriverOptions } from './kubernetes-driver.js';
export { loadKubeConfig, type LoadKubeConfigOptions, type LoadedKubeConfig } from './load-kubeconfig.js';
