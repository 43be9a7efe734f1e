//! What the derive writes when the input has errors: impls that make the handle
//! usable everywhere, with sync and async covers, so the user sees the derive's
//! errors and not, besides them, every use of the handle failing for want of an
//! impl.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use super::expand::{connection_param, handle_generics, krate, wrap};

pub fn expand(input: &DeriveInput, krate_path: Option<&syn::Path>) -> TokenStream {
    let krate = krate(krate_path);
    let ident = &input.ident;
    let generics = handle_generics(&input.generics, &krate);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let conn = connection_param(&input.generics);
    let mut with_connection = generics.clone();
    with_connection
        .params
        .push(syn::parse_quote!(#conn: #krate::__private::Connection));
    let (recovers_generics, _, recovers_where) = with_connection.split_for_impl();
    let mut with_async_connection = generics.clone();
    with_async_connection
        .params
        .push(syn::parse_quote!(#conn: #krate::__private::asynchronous::AsyncConnection));
    let (async_generics, _, async_where) = with_async_connection.split_for_impl();
    let life = syn::Lifetime::new("'__ha_recovery", proc_macro2::Span::call_site());
    wrap(
        krate_path,
        quote! {
            #[automatically_derived]
            impl #impl_generics #krate::__private::Recoverable for #ident #ty_generics #where_clause {}

            #[automatically_derived]
            impl #recovers_generics #krate::__private::Recovers<#conn> for #ident #ty_generics #recovers_where {
                fn recover(
                    &mut self,
                    _: &#krate::__private::Failure<'_, #conn>,
                ) -> #krate::__private::Result<#conn, #krate::__private::AttemptError> {
                    #krate::__private::std::unreachable!()
                }
            }

            #krate::__private::if_tokio! {
                #[automatically_derived]
                impl #async_generics #krate::__private::asynchronous::AsyncRecovers<#conn> for #ident #ty_generics #async_where {
                    fn recover<#life>(
                        &#life mut self,
                        _: &#life #krate::__private::asynchronous::AsyncFailure<#life, #conn>,
                    ) -> #krate::__private::asynchronous::BoxFuture<#life, #krate::__private::Result<#conn, #krate::__private::AttemptError>> {
                        #krate::__private::std::unreachable!()
                    }
                }
            }
        },
    )
}
