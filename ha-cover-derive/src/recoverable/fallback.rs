//! What the derive writes when the input has errors: impls that make the handle
//! usable everywhere, with sync and async covers, so the user sees the derive's
//! errors and not, besides them, every use of the handle failing for want of an
//! impl.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use super::expand::{Generated, handle_generics, wrap};

pub fn expand(input: &DeriveInput, names: &Generated) -> TokenStream {
    let krate = &names.krate;
    let ident = &input.ident;
    let generics = handle_generics(&input.generics, krate);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let conn = &names.conn;
    let mut with_connection = generics.clone();
    with_connection
        .params
        .push(syn::parse_quote!(#conn: #krate::Connection));
    let (recovers_generics, _, recovers_where) = with_connection.split_for_impl();
    let mut with_async_connection = generics.clone();
    with_async_connection
        .params
        .push(syn::parse_quote!(#conn: #krate::asynchronous::AsyncConnection));
    let (async_generics, _, async_where) = with_async_connection.split_for_impl();
    let life = &names.life;
    let import = &names.import;
    wrap(quote! {
        #import
            #[automatically_derived]
            impl #impl_generics #krate::Recoverable for #ident #ty_generics #where_clause {}

            #[automatically_derived]
            impl #recovers_generics #krate::HandleRecovery<#conn> for #ident #ty_generics #recovers_where {
                fn recover(
                    &mut self,
                    _: &#krate::Failure<'_, #conn>,
                ) -> #krate::Result<#conn, #krate::AttemptError> {
                    #krate::std::unreachable!()
                }
            }

            #krate::if_tokio! {
                #[automatically_derived]
                impl #async_generics #krate::asynchronous::AsyncHandleRecovery<#conn> for #ident #ty_generics #async_where {
                    fn recover<#life>(
                        &#life mut self,
                        _: &#life #krate::asynchronous::AsyncFailure<#life, #conn>,
                    ) -> #krate::asynchronous::BoxFuture<#life, #krate::Result<#conn, #krate::AttemptError>> {
                        #krate::std::unreachable!()
                    }
                }
            }
    })
}
