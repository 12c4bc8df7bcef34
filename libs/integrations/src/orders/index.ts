export { ShopifyOrderLookup, type ShopifyOrderLookupOptions, type ShopifySettings } from './shopify.order-lookup';
